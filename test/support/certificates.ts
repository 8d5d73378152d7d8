// Real certificates for tests that need PEM text (collect parses them with node:crypto).

// A self-signed certificate with O=system:nodes, CN=system:node:worker-1 (openssl req -x509, EC P-256).
export const WORKER_1_PEM = `-----BEGIN CERTIFICATE-----
MIIBwTCCAWegAwIBAgIUVtJrkzh1ABosyDDUmV5e3TmqU4swCgYIKoZIzj0EAwIw
NjEVMBMGA1UECgwMc3lzdGVtOm5vZGVzMR0wGwYDVQQDDBRzeXN0ZW06bm9kZTp3
b3JrZXItMTAeFw0yNjExMjkwMjE4MzFaFw0zNjExMjYwMjE4MzFaMDYxFTATBgNV
BAoMDHN5c3RlbTpub2RlczEdMBsGA1UEAwwUc3lzdGVtOm5vZGU6d29ya2VyLTEw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAT1lBwbu/Zqit3oBqFy2QFKLotDDM4d
dCLinFtoP7Jz1XUl7LvTlX+tyKXFxV0wc6vSMTzCmWMvJwdT4b/FMSV8o1MwUTAd
BgNVHQ4EFgQUjgk78cwrKcaYwk0VnuPowuiGxHUwHwYDVR0jBBgwFoAUjgk78cwr
KcaYwk0VnuPowuiGxHUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiApiabxGgdT6IzSyPMGIvx1kuh3c1AHdLEKVtjGOoCEFgIhALlZ5nB5QAbNrpM7
iiFMnJYF+IAa2bX+5HvFl2U3QWGO
-----END CERTIFICATE-----
`;
