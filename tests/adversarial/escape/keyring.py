"""The kernel keyrings: add_key(2), request_key(2), keyctl(2) by raw syscall number. A key
added to the process keyring (dies with the process) and reading the user keyring's id."""
KEY_SPEC_PROCESS_KEYRING, KEY_SPEC_USER_KEYRING = -2, -4
report["add_key"] = sys_call(248, b"user", b"{{MARKER}}-probe", b"x", 1, KEY_SPEC_PROCESS_KEYRING)
report["request_key"] = sys_call(249, b"user", b"{{MARKER}}-probe", None, 0)
report["keyctl_get_user"] = sys_call(250, 0, KEY_SPEC_USER_KEYRING, 0)      # KEYCTL_GET_KEYRING_ID
