"""The encrypted vault: one SQLCipher 4 file that holds everything, KDF parameters included.

File layout. SQLCipher keeps a 16-byte salt in plaintext at the start of the file and
lets us choose it (raw key + explicit salt). We use those 16 bytes as the vault's
only metadata, so the vault — and every backup, which is a plain copy — is one
self-contained file:

    byte 0       0xA0 | (log_n - 10)   scrypt cost, and a marker that this is a vault
    bytes 1-11   random                salt for scrypt and for SQLCipher
    bytes 12-15  HMAC-SHA256(key, bytes 0-11)[:4]   tells a wrong passphrase from a damaged file

The 32-bit check value gives an attacker nothing: each guess still costs one
scrypt run, exactly as trying the guess against the database would.

The key derived with scrypt goes to SQLCipher as a raw hex key; the passphrase never
appears in SQL. A passphrase change writes a fresh copy under a new salt and key with
`sqlcipher_export`, then swaps it in with an atomic rename: an interruption leaves
the old file, which the old passphrase still opens.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import hmac
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3

from aandacht.store import kdf
from aandacht.store.kdf import KdfParams
from aandacht.store.lock import InstanceLock, NoLock, VaultError, VaultInUse  # noqa: F401

HEADER_MARK = 0xA0
SQLITE_PLAIN_MAGIC = b"SQLite format 3\x00"
CACHE_KIB = 64 * 1024  # 64 MiB page cache: SQLCipher's overhead is small only with a warm cache
INTEGRITY_CHECK_MAX_BYTES = 32 * 1024 * 1024  # cipher_integrity_check on open up to this size


class WrongPassphrase(VaultError):
    def __init__(self) -> None:
        super().__init__("De wachtwoordzin klopt niet. Let op hoofdletters en de Caps Lock-toets.")


class VaultDamaged(VaultError):
    pass


# --- header -----------------------------------------------------------------------


def _check_value(key: bytes, prefix: bytes) -> bytes:
    return hmac.new(key, b"aandacht-vault-check" + prefix, hashlib.sha256).digest()[:4]


def _new_header(key_for: callable, params: KdfParams) -> tuple[bytes, bytes]:
    """Returns (16-byte header/salt, derived key)."""
    prefix = bytes([HEADER_MARK | (params.log_n - 10)]) + secrets.token_bytes(11)
    key = key_for(prefix)
    return prefix + _check_value(key, prefix), key


def read_header(path: Path) -> tuple[bytes, KdfParams]:
    """Reads and sanity-checks the first 16 bytes; raises a Dutch VaultError."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise VaultError(f"Er is geen kluis gevonden op {path}.") from None
    except IsADirectoryError:
        raise VaultError(f"{path} is een map, geen kluisbestand.") from None
    except PermissionError:
        raise VaultError(f"Aandacht mag {path} niet lezen (geen toegang).") from None
    if not head:
        raise VaultDamaged("Het kluisbestand is leeg (0 bytes). Zet een reservekopie terug.")
    if head.startswith(SQLITE_PLAIN_MAGIC):
        raise VaultDamaged(
            "Dit is een onversleuteld databasebestand, geen Aandacht-kluis. "
            "Aandacht opent alleen versleutelde kluizen."
        )
    if len(head) < 16 or (head[0] & 0xF0) != HEADER_MARK or (head[0] & 0x0F) > 14:
        raise VaultDamaged(
            "De sleutelgegevens (KDF) aan het begin van het bestand ontbreken of zijn beschadigd. "
            "Dit is geen bruikbare Aandacht-kluis; zet een reservekopie terug."
        )
    if len(head) < 4096:
        raise VaultDamaged("Het kluisbestand is afgekapt (te kort). Zet een reservekopie terug.")
    return head[:16], KdfParams(log_n=(head[0] & 0x0F) + 10)


def _raw_hex_key(key: bytes, salt: bytes) -> str:
    # Only hex digits reach the SQL text, never the passphrase (PRAGMAs take no parameters).
    return f"x'{key.hex()}{salt.hex()}'"


# --- the vault -----------------------------------------------------------------------


def _connect(path: Path, key: bytes, salt: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{_raw_hex_key(key, salt)}"')
    return conn


def _configure(conn: sqlcipher3.Connection) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cipher_memory_security = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise VaultError("De kluis kon niet in de veilige schrijfmodus (WAL) worden gezet.")
    conn.execute("PRAGMA synchronous = FULL")
    if conn.execute("PRAGMA temp_store").fetchone()[0] != 2:
        raise VaultError("Tijdelijke gegevens zouden op schijf komen; Aandacht weigert te openen.")


class Vault:
    """An open vault. Only modules in `aandacht.store` use `conn`."""

    def __init__(self, path: Path, conn: sqlcipher3.Connection, lock: InstanceLock,
                 owns_lock: bool, params: KdfParams):
        self.path = Path(path)
        self.conn: sqlcipher3.Connection | None = conn
        self.lock = lock
        self._owns_lock = owns_lock
        self.params = params
        from aandacht.store.settings import Settings

        self.settings = Settings(self)

    # -- basics
    @property
    def is_open(self) -> bool:
        return self.conn is not None

    def _require(self) -> sqlcipher3.Connection:
        if self.conn is None:
            raise VaultError("De kluis is vergrendeld.")
        return self.conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """All-or-nothing: a failure inside rolls everything back."""
        conn = self._require()
        if conn.in_transaction:  # nested use joins the outer transaction
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            try:
                conn.execute("COMMIT")
            except sqlcipher3.OperationalError as exc:
                conn.execute("ROLLBACK")
                raise _os_like_error(exc) from None

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlcipher3.Cursor:
        return self._require().execute(sql, params)

    @property
    def schema_version(self) -> int:
        return self._require().execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection and release the lock; the key lives only in SQLCipher's
        memory (wiped by cipher_memory_security) and is gone with the connection."""
        if self.conn is not None:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher3.Error:
                pass
            self.conn.close()
            self.conn = None
        if self._owns_lock:
            self.lock.release()

    def __enter__(self) -> "Vault":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- maintenance
    def change_passphrase(self, old: str, new: str, params: KdfParams | None = None) -> None:
        """Re-encrypt under a new passphrase (new salt, new key) and swap atomically."""
        conn = self._require()
        salt, _ = read_header(self.path)
        if not hmac.compare_digest(_check_value(kdf.derive(old, salt[:12], self.params), salt[:12]),
                                   salt[12:]):
            raise WrongPassphrase()
        _validate_new_passphrase(new)
        params = params or self.params
        header, key = _new_header(lambda prefix: kdf.derive(new, prefix, params), params)
        tmp = self.path.with_name(self.path.name + ".rekey")
        _remove_quietly(tmp)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute(f"ATTACH DATABASE ? AS fresh KEY \"{_raw_hex_key(key, header)}\"",
                         (str(tmp),))
            try:
                conn.execute("SELECT sqlcipher_export('fresh')")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                conn.execute(f"PRAGMA fresh.user_version = {int(version)}")
            finally:
                conn.execute("DETACH DATABASE fresh")
            _fsync_file(tmp)
            # Verify the copy opens with the new key before it replaces anything.
            check = _connect(tmp, key, header)
            try:
                check.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                check.close()
        except sqlcipher3.Error as exc:
            _remove_quietly(tmp)
            raise _os_like_error(exc) from None
        except OSError as exc:
            _remove_quietly(tmp)
            raise _friendly_os_error(exc, tmp.parent) from None
        conn.close()
        self.conn = None
        for suffix in ("-wal", "-shm"):
            _remove_quietly(Path(str(self.path) + suffix))
        os.replace(tmp, self.path)  # the atomic moment: before it the old file, after it the new
        _fsync_dir(self.path.parent)
        self.params = params
        conn = _connect(self.path, key, header)
        _configure(conn)
        self.conn = conn

    def backup(self, target: Path | str) -> Path:
        """Write a consistent copy to `target`: one encrypted file that `open_vault` opens
        with the same passphrase. Written to a temporary name first, then renamed."""
        conn = self._require()
        target = Path(target).expanduser()
        if target.exists() and target.is_dir():
            raise VaultError(f"{target} is een map; kies een bestandsnaam voor de reservekopie.")
        try:
            same = target.exists() and os.path.samefile(target, self.path)
        except OSError:
            same = False
        own = self.path.resolve()
        resolved = target.resolve()
        # The vault, its -wal/-shm, its .lock and migration copies all share its name.
        if same or (resolved.parent == own.parent and resolved.name.startswith(own.name)):
            raise VaultError("De reservekopie kan niet over de kluis zelf heen. Kies een andere plek, "
                             "bij voorkeur een versleutelde USB-stick.")
        if not target.parent.is_dir():
            raise VaultError(f"De map {target.parent} bestaat niet.")
        # Copies from an earlier backup that was interrupted (encrypted, but clutter).
        for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
            _remove_quietly(stale)
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            # Holding a read transaction keeps writers out while we copy the main file.
            conn.execute("BEGIN")
            try:
                with open(self.path, "rb") as src, open(tmp, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
                    dst.flush()
                    os.fsync(dst.fileno())
            finally:
                conn.execute("COMMIT")
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            _remove_quietly(tmp)
            raise _friendly_os_error(exc, target.parent) from None
        return target


def _validate_new_passphrase(passphrase: str) -> None:
    if not passphrase or not passphrase.strip():
        raise VaultError("Kies een wachtwoordzin; een lege wachtwoordzin beschermt niets.")


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _friendly_os_error(exc: OSError, folder: Path) -> VaultError:
    if exc.errno == errno.ENOSPC:
        return VaultError(f"De schijf is vol: er was geen ruimte in {folder}. Er is niets veranderd.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return VaultError(f"Aandacht mag niet schrijven in {folder}. Kies een andere map.")
    return VaultError(f"Schrijven in {folder} lukte niet ({exc.strerror or exc}). Er is niets veranderd.")


def _os_like_error(exc: Exception) -> VaultError:
    msg = str(exc).lower()
    if "full" in msg:
        return VaultError("De schijf is vol; de wijziging is niet opgeslagen. Maak ruimte en probeer opnieuw.")
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return VaultDamaged("De kluis is beschadigd en kan niet worden gelezen. Zet een reservekopie terug.")
    if "readonly" in msg or "read-only" in msg:
        return VaultError("De kluis is alleen-lezen; Aandacht kan niet opslaan.")
    return VaultError("De kluis kon deze bewerking niet uitvoeren; er is niets veranderd. "
                      f"(technische melding: {exc})")


def _tmp_derive(passphrase: str, params: KdfParams):
    return lambda prefix: kdf.derive(passphrase, prefix, params)


# --- public entry points -----------------------------------------------------------------


def create_vault(path: Path | str, passphrase: str, params: KdfParams | None = None,
                 lock: InstanceLock | None = None) -> Vault:
    """Create a new vault at `path` (which must not exist) and return it open.

    Without `params` the scrypt cost is tuned on this machine to about 0.5-1 s.
    """
    path = Path(path)
    _validate_new_passphrase(passphrase)
    if path.exists():
        raise VaultError(f"Er staat al een bestand op {path}; Aandacht overschrijft het niet.")
    path.parent.mkdir(parents=True, exist_ok=True)
    params = params or kdf.tune()[0]
    owns = lock is None
    lock = lock or InstanceLock(path)
    lock.acquire()
    header, key = _new_header(_tmp_derive(passphrase, params), params)
    try:
        conn = _connect(path, key, header)
        _configure(conn)
        from aandacht.store import migrations

        migrations.migrate(conn, path, backup_first=False)
    except BaseException as exc:
        with contextlib.suppress(Exception):
            conn.close()  # type: ignore[possibly-undefined]
        for suffix in ("", "-wal", "-shm"):
            _remove_quietly(Path(str(path) + suffix))
        if owns:
            lock.release()
        if isinstance(exc, OSError):
            raise _friendly_os_error(exc, path.parent) from None
        if isinstance(exc, sqlcipher3.Error):
            raise _os_like_error(exc) from None
        raise
    return Vault(path, conn, lock, owns, params)


def open_vault(path: Path | str, passphrase: str, lock: InstanceLock | None = None,
               migrate: bool = True) -> Vault:
    """Open an existing vault. Raises WrongPassphrase, VaultDamaged, VaultInUse (all VaultError).

    A wrong passphrase or a damaged file is detected before anything is written.
    """
    path = Path(path)
    if not passphrase:
        raise VaultError("Vul uw wachtwoordzin in.")
    header, params = read_header(path)
    key = kdf.derive(passphrase, header[:12], params)
    if not hmac.compare_digest(_check_value(key, header[:12]), header[12:16]):
        raise WrongPassphrase()
    owns = lock is None
    lock = lock or InstanceLock(path)
    lock.acquire()
    conn = None
    try:
        conn = _connect(path, key, header)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            raise VaultDamaged(
                "De wachtwoordzin klopt, maar de kluis is beschadigd en kan niet worden gelezen. "
                "Zet een reservekopie terug; het bestand is niet aangepast."
            ) from None
        if path.stat().st_size <= INTEGRITY_CHECK_MAX_BYTES:
            problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            if problems:
                raise VaultDamaged(
                    "De kluis is beschadigd (de controle vond "
                    f"{len(problems)} beschadigde pagina's). Zet een reservekopie terug."
                )
        _configure(conn)
        if migrate:
            from aandacht.store import migrations

            migrations.migrate(conn, path, backup_first=True)
        # A passphrase change killed before its final rename leaves an (encrypted) copy.
        _remove_quietly(path.with_name(path.name + ".rekey"))
    except BaseException as exc:
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
        if owns:
            lock.release()
        if isinstance(exc, sqlcipher3.Error):
            raise _os_like_error(exc) from None
        raise
    return Vault(path, conn, lock, owns, params)


def create_unencrypted_for_benchmark(path: Path | str) -> Vault:
    """The same schema and pragmas on a plain SQLite file — ONLY for the benchmark's
    SQLCipher ÷ SQLite ratio and for tests that must read raw page bytes (physical
    deletion). The app itself never calls this."""
    path = Path(path)
    if path.exists():
        raise VaultError(f"Er staat al een bestand op {path}.")
    lock = InstanceLock(path)
    lock.acquire()
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    _configure(conn)
    from aandacht.store import migrations

    migrations.migrate(conn, path, backup_first=False)
    return Vault(path, conn, lock, True, KdfParams())
