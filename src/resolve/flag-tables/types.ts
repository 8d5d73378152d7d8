// The shape of a component's flag table: flag name (without dashes) → its type as the component's
// `--help` prints it. Only `bool` matters to the grammar: a bool never takes the next argument,
// every other type always does (pflag and Go's flag package alike).

/**
 * `bool` also covers pflag flags with a NoOptDefVal (`--version version[=true]`): bare, they
 * take no argument. The value types keep the name `--help` shows (`strings` is pflag
 * StringSlice, `mapStringString` is a `key=value` list), for the reader's benefit only.
 */
export type FlagType =
  | 'bool'
  | 'string'
  | 'strings'
  | 'stringArray'
  | 'int'
  | 'int32'
  | 'uint'
  | 'uint32'
  | 'float'
  | 'float32'
  | 'duration'
  | 'ip'
  | 'ipport'
  | 'cidrs'
  | 'mapStringString'
  | 'mapStringBool'
  | 'colonSeparatedMultimapStringString'
  | 'traceLocation'
  | 'severity'
  | 'level'
  | 'moduleSpec'
  | 'namedCertKey'
  | 'portRange'
  | 'quantity'
  | 'custom';

export type FlagTable = Readonly<Record<string, FlagType>>;
