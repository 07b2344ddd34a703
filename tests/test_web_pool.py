"""The worker pool on its own: results, errors, the time limit, crashes, saturation."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest

from kgpub.web.loading import prepare_disk, prepare_memory
from kgpub.web.pool import Busy, PoolError, PoolSettings, QueryTimeout, WorkerCrashed, WorkerPool

DATA = "\n".join(f"<urn:s{i}> <urn:p> <urn:o{i % 7}> <urn:g{i % 3}> ." for i in range(300)) + "\n"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def job(query: str, media: str = "application/sparql-results+json") -> dict:
    return {"query": query, "media": media, "has_dataset_clause": False}


@pytest.fixture(params=["memory", "disk"])
def spec(request, tmp_path: Path) -> dict:
    """Both ways of holding the data: forked from one in-memory store, or a read-only disk store."""
    data = tmp_path / "data.nq"
    data.write_text(DATA)
    if request.param == "memory":
        return prepare_memory([data], tmp_path).spec
    return prepare_disk([data], tmp_path / "store", tmp_path).spec


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def test_results_errors_and_limits(spec: dict) -> None:
    async def scenario() -> None:
        pool = WorkerPool(spec, PoolSettings(workers=2, timeout=1.5, max_result_bytes=2000))
        await pool.start()
        try:
            body = await pool.execute(job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
            assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "300"
            with pytest.raises(PoolError) as bad:
                await pool.execute(job("SELECT * WHERE { ?s ?p }"))
            assert bad.value.status == 400 and "1:" in bad.value.message
            with pytest.raises(PoolError) as big:
                await pool.execute(job("SELECT * WHERE { ?s ?p ?o }"))
            assert big.value.status == 422
            runaway = asyncio.create_task(pool.execute(job(RUNAWAY)))
            await asyncio.sleep(0.2)
            cheap = await pool.execute(job("ASK { ?s ?p ?o }"))  # the other worker answers
            assert json.loads(cheap)["boolean"] is True
            with pytest.raises(QueryTimeout):
                await runaway
            for _ in range(100):
                if pool.health()["alive"] == 2 and pool.stats["replaced"] == 1:
                    break
                await asyncio.sleep(0.05)
            assert pool.health()["alive"] == 2 and pool.stats["replaced"] == 1
        finally:
            await pool.close()

    run(scenario())


def test_a_killed_worker_fails_its_query_and_is_replaced(spec: dict) -> None:
    async def scenario() -> None:
        pool = WorkerPool(spec, PoolSettings(workers=1, timeout=20))
        await pool.start()
        try:
            runaway = asyncio.create_task(pool.execute(job(RUNAWAY)))
            await asyncio.sleep(0.3)
            (worker,) = pool._all
            os.kill(worker.pid, signal.SIGKILL)
            with pytest.raises(WorkerCrashed):
                await runaway
            body = await pool.execute(job("ASK { ?s ?p ?o }"))  # waits for the replacement
            assert json.loads(body)["boolean"] is True
        finally:
            await pool.close()

    run(scenario())


def test_saturation_is_refused_quickly(spec: dict) -> None:
    async def scenario() -> None:
        pool = WorkerPool(spec, PoolSettings(workers=1, timeout=3, max_waiting=1,
                                             queue_timeout=0.5))
        await pool.start()
        try:
            runaway = asyncio.create_task(pool.execute(job(RUNAWAY)))
            await asyncio.sleep(0.2)
            waiting = asyncio.create_task(pool.execute(job("ASK { ?s ?p ?o }")))
            await asyncio.sleep(0.05)
            loop = asyncio.get_running_loop()
            start = loop.time()
            with pytest.raises(Busy):  # the line (1) is full: refused at once
                await pool.execute(job("ASK { ?s ?p ?o }"))
            assert loop.time() - start < 0.1
            with pytest.raises(Busy):  # the waiting one gives up after queue_timeout
                await waiting
            with pytest.raises(QueryTimeout):
                await runaway
        finally:
            await pool.close()

    run(scenario())
