class CryptoError(Exception):
    """Base class: content could not be encrypted or decrypted."""


class MissingMasterKey(CryptoError):
    def __init__(self, key_id):
        self.key_id = key_id
        super().__init__(f"Master key {key_id!r} is not in PLUFORM_MASTER_KEYS")


class WrongMasterKey(CryptoError):
    def __init__(self, master_key_id, data_key_id):
        self.key_id = master_key_id
        self.data_key_id = data_key_id
        super().__init__(
            f"Master key {master_key_id!r} in PLUFORM_MASTER_KEYS does not unwrap data key "
            f"{data_key_id}: the configured key with that id is not the one it was wrapped with"
        )


class DataKeyDestroyed(CryptoError):
    def __init__(self, key_id):
        self.key_id = key_id
        super().__init__(f"Data key {key_id} has been destroyed; its content is erased")


class DataKeyMissing(CryptoError):
    def __init__(self, key_id):
        self.key_id = key_id
        super().__init__(f"Data key {key_id} does not exist")


class TamperedCiphertext(CryptoError):
    def __init__(self, where):
        self.where = where
        super().__init__(f"Ciphertext failed authentication ({where})")
