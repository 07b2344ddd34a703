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
            # The only worker was just killed; its replacement is starting: not an outage.
            assert pool.health()["starting"] == 1 or pool.alive == 1
            assert pool.serving
        finally:
            await pool.close()

    run(scenario())


def test_slow_queries_do_not_starve_quick_ones(spec: dict) -> None:
    """Runaways hold every regular worker: a burst worker answers the quick query, then goes.
    The time limit (6 s) leaves room for a slow machine: every step up to the last Busy must
    happen while the first two runaways still hold their workers."""
    async def scenario() -> None:
        pool = WorkerPool(spec, PoolSettings(workers=2, max_workers=3, timeout=6,
                                             slow_after=0.3, queue_timeout=1.0))
        await pool.start()
        try:
            runaways = [asyncio.create_task(pool.execute(job(RUNAWAY))) for _ in range(2)]
            await asyncio.sleep(0.5)  # both are slow now, and yield the CPU to quick queries
            ours = os.getpriority(os.PRIO_PROCESS, 0)
            for w in pool._all:  # every thread: the query runs on the worker's second one
                threads = [int(t) for t in os.listdir(f"/proc/{w.pid}/task")]
                assert len(threads) >= 2
                assert all(os.getpriority(os.PRIO_PROCESS, t) > ours for t in threads)
            loop = asyncio.get_running_loop()
            start = loop.time()
            quick = await pool.execute(job("ASK { ?s ?p ?o }"))
            assert json.loads(quick)["boolean"] is True
            # Answered by a burst worker long before a runaway's worker could be freed.
            assert loop.time() - start < 4.0
            assert pool.stats["burst"] == 1
            assert pool.health()["max_workers"] == 3
            # A third runaway takes the burst worker; the ceiling is reached, so a quick query
            # now waits in line and gets 503 when the line times out: bounded, not unlimited.
            third = asyncio.create_task(pool.execute(job(RUNAWAY)))
            await asyncio.sleep(0.5)
            with pytest.raises(Busy):
                await pool.execute(job("ASK { ?s ?p ?o }"))
            for task in (*runaways, third):
                with pytest.raises(QueryTimeout):
                    await task
            for _ in range(100):  # back to the regular size once the slow queries are gone
                if len(pool._all) == 2 and pool._spawning == 0 and pool.alive == 2:
                    break
                await asyncio.sleep(0.05)
            assert len(pool._all) == 2 and pool.alive == 2
            body = await pool.execute(job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
            assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "300"
        finally:
            await pool.close()

    run(scenario())


def test_a_query_over_the_memory_cap_fails_alone(spec: dict) -> None:
    """A query that would need gigabytes stops at the cap; the pool keeps answering."""
    async def scenario() -> None:
        pool = WorkerPool(spec, PoolSettings(workers=1, timeout=30, worker_memory_mib=64))
        await pool.start()
        try:
            hungry = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
            with pytest.raises(PoolError) as failed:
                await pool.execute(job(hungry), timeout=30)
            assert failed.value.status in (500, 503)
            assert "memory" in failed.value.message
            body = await pool.execute(job("ASK { ?s ?p ?o }"))
            assert json.loads(body)["boolean"] is True
        finally:
            await pool.close()

    run(scenario())
