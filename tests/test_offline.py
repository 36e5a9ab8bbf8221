"""Offline by design: a scripted session through the services runs with every network
entry point of the socket module turned into an error, and nothing even tries."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from aandacht.domain.case import Case, Entry, EntryKind, FollowUp
from aandacht.services.cases import CaseService
from aandacht.store import create_vault, open_vault
from aandacht.store.kdf import FAST_PARAMS
from tests.offline_guard import NetworkBlocked, offline

TODAY = dt.date.today()


def test_guard_blocks_every_entry_point_and_restores():
    before = (socket.socket.connect, socket.create_connection, socket.getaddrinfo)
    with offline() as attempts:
        with pytest.raises(NetworkBlocked):
            socket.getaddrinfo("example.org", 443)
        with pytest.raises(NetworkBlocked):
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        with pytest.raises(NetworkBlocked):
            socket.gethostbyname("localhost")
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            with socket.socket(socket.AF_INET, kind) as s:
                with pytest.raises(NetworkBlocked):
                    s.connect(("127.0.0.1", 9))
                with pytest.raises(NetworkBlocked):
                    s.connect_ex(("127.0.0.1", 9))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            with pytest.raises(NetworkBlocked):
                s.sendto(b"x", ("127.0.0.1", 9))
    assert len(attempts) == 8
    assert (socket.socket.connect, socket.create_connection, socket.getaddrinfo) == before


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no unix sockets on this platform")
def test_guard_can_allow_local_unix_sockets(tmp_path):
    address = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(address)
        server.listen(1)
        with offline(allow_unix=True) as attempts:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.connect(address)
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                with pytest.raises(NetworkBlocked):
                    s.connect(("127.0.0.1", 9))
        with offline() as strict:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                with pytest.raises(NetworkBlocked):
                    client.connect(address)
    assert len(attempts) == 1 and len(strict) == 1


def test_scripted_session_never_touches_the_network(tmp_path):
    path = tmp_path / "data" / "aandacht.vault"
    with offline() as attempts:
        v = create_vault(path, "offline wachtwoordzin", FAST_PARAMS)
        cs = CaseService(v)
        a = cs.create_case(Case(None, "Casus Offline", TODAY))
        b = cs.create_case(Case(None, "Casus Offline locatie", TODAY, linked_case_id=a.id))
        e = cs.add_entry(Entry(None, a.id, EntryKind.GESPREK, TODAY, facts="Gesprek gevoerd.",
                               interpretation="Signaal van uitbuiting."))
        cs.correct_entry(e.id, facts="Gesprek gevoerd met collega.")
        fu = cs.add_followup(FollowUp(None, a.id, TODAY, "Terugbellen"))
        cs.complete_followup(fu.id, "Gebeld.")
        cs.set_state(a.id, "meldcode", {"stap": 2})
        v.settings.set("gemeente", "Voorbeeldstad")
        assert [s.id for s in cs.search("collega")] == [a.id]
        assert len(cs.list_cases()) == 2 and cs.due_followups() == []
        cs.close_case(b.id, "zonder_actie")
        cs.delete_case(b.id)
        v.backup(tmp_path / "kopie.aandacht")
        v.change_passphrase("offline wachtwoordzin", "nog steeds offline")
        v.close()
        v = open_vault(path, "nog steeds offline")
        assert [s.label for s in CaseService(v).list_cases()] == ["Casus Offline"]
        v.close()
        open_vault(tmp_path / "kopie.aandacht", "offline wachtwoordzin").close()
    assert attempts == []
