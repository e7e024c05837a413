"""SQLite's writers wait in turn on a lock file (db.base._WriterQueue): every write lands, none
waits for ever, and a connection that ends its transaction in any way lets the next one in."""

import os
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from complaints.db import base
from complaints.db.base import make_engine


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/writers.db")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counted (n INTEGER)"))
    yield engine
    engine.dispose()


def count(engine):
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM counted")).scalar()


def test_writers_of_many_threads_each_land_once(engine):
    errors = []

    def write(start):
        try:
            for n in range(start, start + 25):
                with engine.begin() as connection:
                    connection.execute(text("INSERT INTO counted VALUES (:n)"), {"n": n})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n * 100,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and count(engine) == 200


def test_a_rolled_back_or_abandoned_transaction_lets_the_next_writer_in(engine, monkeypatch):
    monkeypatch.setattr(base, "BUSY_SECONDS", 1)
    with engine.connect() as connection:
        connection.begin()
        connection.execute(text("INSERT INTO counted VALUES (1)"))
        connection.rollback()
    with engine.connect() as connection:  # left without COMMIT or ROLLBACK: back to the pool
        connection.begin()
        connection.execute(text("INSERT INTO counted VALUES (2)"))
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO counted VALUES (3)"))
    assert count(engine) == 1


def test_a_writer_held_up_too_long_fails_instead_of_waiting_for_ever(engine, monkeypatch):
    monkeypatch.setattr(base, "BUSY_SECONDS", 0.3)
    with engine.connect() as holder:
        holder.begin()
        holder.execute(text("INSERT INTO counted VALUES (1)"))
        with pytest.raises(OperationalError, match="locked"), engine.begin() as waiting:
            waiting.execute(text("INSERT INTO counted VALUES (2)"))
        holder.commit()
    assert count(engine) == 1


def test_a_closed_connection_closes_its_lock_file(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/closing.db")
    lock_file = f"{tmp_path}/closing.db.writers"

    def opened():
        return sum(1 for fd in os.listdir("/proc/self/fd")
                   if os.path.realpath(f"/proc/self/fd/{fd}") == lock_file)

    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counted (n INTEGER)"))
    assert opened() == 1
    engine.dispose()  # a server recycling its connections must not keep their files open
    assert opened() == 0
