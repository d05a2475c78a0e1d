"""The persistent call job queue and its worker.

Two kinds of job per call, at most one of each (unique (call, kind)):

- ``download``: fetch the recording from the telephony provider (Twilio: HTTP basic auth
  with the account id and the practice's auth token), store it encrypted, queue
  ``process``. Failures are retried with exponential backoff
  (``calls_download_backoff_seconds`` x 1, 2, 4 ...) up to ``calls_download_attempts``
  times; then the job and the call's ``processing`` show ``failed``.
- ``process``: decrypt, run the assistant's pipeline (decode, transcribe, triage) in a
  worker thread, write the result, ``processing = ready``: one flush of the call, so one
  ``call`` change reaches every live client.

A worker takes a job by setting its lease (``locked_until``) in one conditional UPDATE. A
server killed mid-job leaves the lease behind; once it has run out (``calls_job_lease_seconds``)
the job is due again, for this server after a restart or for another one. A result is only
applied if the worker still holds the lease it took (same conditional UPDATE), in the same
transaction as the result itself: a job is never completed twice, and a recording is
never lost (the download job is only done once the recording is stored).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.assistant.analysis import CallAnalysis
from backend_server.assistant.model_dir import model_problem
from backend_server.calls import recording
from backend_server.calls.repository import JobRepository
from backend_server.config import Settings
from backend_server.context import ServerContext
from backend_server.models.call import Call, CallJob

log = logging.getLogger("backend_server.calls")

Analyzer = Callable[[bytes, str | None], CallAnalysis]


class DownloadFailed(RuntimeError):
    """The provider did not hand out the recording (status code in the message only)."""


def pipeline_analyzer(settings: Settings | None = None) -> Analyzer:
    """The assistant's pipeline, imported on first use (it pulls in the speech-to-text
    engine and the classifier, which a server without calls never needs). ``settings``: the
    server's own (model directory, engine); None reads them from the environment."""
    from backend_server.assistant.pipeline import analyze_recording

    def analyze(data: bytes, caller_id: str | None) -> CallAnalysis:
        return analyze_recording(data, caller_id, settings=settings)

    return analyze


async def enqueue(session: AsyncSession, call: Call, kind: str, *, now: datetime,
                  payload: dict[str, Any] | None = None) -> CallJob:
    """Adds the job unless the call has one of this kind already (a replayed webhook)."""
    repo = JobRepository(session)
    existing = await repo.get(call.id, kind)
    if existing is not None:
        return existing
    job = CallJob(practice_id=call.practice_id, call_id=call.id, kind=kind, state="pending",
                  attempts=0, next_attempt_at=now, locked_until=None, last_error=None,
                  payload=payload or {}, created_at=now, updated_at=now)
    await repo.add(job)
    return job


class CallWorker:
    """Runs due jobs, ``calls_worker_concurrency`` at a time, from the server's lifespan."""

    def __init__(self, ctx: ServerContext, *, analyzer: Analyzer | None = None) -> None:
        self.ctx = ctx
        self._analyzer = analyzer
        self._tasks: list[asyncio.Task[None]] = []
        self._wake = asyncio.Event()
        self.completed = 0  # jobs finished (done or failed) by this worker; tests wait on it
        # Tests may route downloads through their own transport.
        self.http_transport: httpx.AsyncBaseTransport | None = None

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = pipeline_analyzer(self.ctx.settings)
        return self._analyzer

    @analyzer.setter
    def analyzer(self, value: Analyzer) -> None:
        self._analyzer = value

    def start(self) -> None:
        if self._tasks or self.ctx.settings.calls_worker_concurrency == 0:
            return
        self.ctx.db.commit_listeners.append(self._on_commit)
        self._warn_if_model_missing()
        for n in range(self.ctx.settings.calls_worker_concurrency):
            self._tasks.append(asyncio.create_task(self._loop(), name=f"call-worker-{n}"))

    def _warn_if_model_missing(self) -> None:
        # Said once at start, naming the directory: otherwise IT only sees calls turning
        # "failed" with TranscriberUnavailable. Everything else keeps working.
        settings = self.ctx.settings
        if settings.assistant_stt_engine != "whisper":
            return
        problem = model_problem(settings.assistant_model_dir)
        if problem is not None:
            log.warning("phone assistant: %s; recorded calls will be marked failed until the "
                        "model is provided (PRAXISDESK_ASSISTANT_MODEL_DIR, see the IT guide)",
                        problem)

    def wake(self) -> None:
        self._wake.set()

    def _on_commit(self, _practices: frozenset[str]) -> None:
        # A new call or recording changes a call (a sync change): look for work at once.
        self._wake.set()

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        with contextlib.suppress(ValueError):
            self.ctx.db.commit_listeners.remove(self._on_commit)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        grace = self.ctx.settings.calls_shutdown_grace_seconds
        if not await wait_for_analyses(grace):
            log.warning("call worker: an analysis still runs after %.0f s; exiting anyway",
                        grace)

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                worked = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be busy; try again next round
                log.error("call worker round failed: %s", type(exc).__name__)
                worked = False
            if not worked:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(),
                                           self.ctx.settings.calls_poll_seconds)

    async def run_once(self) -> bool:
        """Takes one due job and runs it; False when none was due."""
        now = self.ctx.clock.now()
        async with self.ctx.db.session(system=True) as session:
            candidates = await JobRepository(session).due_ids(now, 5)
        for job_id in candidates:
            if await self._run(job_id):
                return True
        return False

    # --- one job ------------------------------------------------------------------------

    async def _run(self, job_id: str) -> bool:
        now = self.ctx.clock.now()
        until = now + timedelta(seconds=self.ctx.settings.calls_job_lease_seconds)
        async with self.ctx.db.session(system=True) as session:
            repo = JobRepository(session)
            if not await repo.claim(job_id, now, until):
                await session.rollback()
                return False  # another worker was quicker
            job = await repo.by_id(job_id)
            call = await repo.call(job.call_id) if job is not None else None
            if job is None or call is None:
                await session.rollback()
                return False
            if job.kind == "process" and call.processing != "processing":
                call.processing = "processing"
                call.updated_at = now
            await session.commit()
            # The lease as the database stored it (SQLite keeps microseconds, no zone).
            until = job.locked_until or until
        log.info("call job %s (%s) of call %s: attempt %d", job.id, job.kind, call.id,
                 job.attempts)
        try:
            if job.kind == "download":
                await self._download(job, call, until)
            else:
                await self._process(job, call, until)
        except asyncio.CancelledError:
            raise  # shutdown: the lease runs out and the job is taken again
        except Exception as exc:
            await self._failed(job, until, exc)
        return True

    async def _failed(self, job: CallJob, until: datetime, exc: Exception) -> None:
        now = self.ctx.clock.now()
        error = type(exc).__name__
        settings = self.ctx.settings
        limit = (settings.calls_download_attempts if job.kind == "download"
                 else settings.calls_process_attempts)
        async with self.ctx.db.session(system=True) as session:
            repo = JobRepository(session)
            if job.attempts >= limit:
                if await repo.finish(job.id, state="failed", now=now, leased_until=until):
                    call = await repo.call(job.call_id)
                    if call is not None:
                        call.processing = "failed"
                        call.updated_at = now
                    await session.commit()
                    self.completed += 1
                log.error("call job %s (%s) failed for good after %d attempts: %s", job.id,
                          job.kind, job.attempts, error)
                return
            delay = settings.calls_download_backoff_seconds * (2 ** (job.attempts - 1))
            await repo.retry_later(job.id, at=now + timedelta(seconds=delay), now=now,
                                   error=error, leased_until=until)
            await session.commit()
        log.warning("call job %s (%s) attempt %d failed (%s); next try in %.1f s", job.id,
                    job.kind, job.attempts, error, delay)

    async def _download(self, job: CallJob, call: Call, until: datetime) -> None:
        from backend_server.telephony.service import twilio_credentials

        url = str(job.payload.get("url") or "")
        account_sid = str(job.payload.get("account_sid") or "")
        token = await twilio_credentials(self.ctx, call.practice_id)
        limit = self.ctx.settings.telephony_upload_max_bytes
        auth = (account_sid, token) if token else None
        staged = recording.stage(self.ctx, call.practice_id, call.id)
        try:
            async with httpx.AsyncClient(
                    transport=self.http_transport, follow_redirects=True,
                    timeout=self.ctx.settings.calls_download_timeout_seconds) as client:
                async with client.stream("GET", url, auth=auth) as response:
                    if response.status_code != 200:
                        raise DownloadFailed(f"status {response.status_code}")
                    async for chunk in response.aiter_bytes():
                        if staged.size + len(chunk) > limit:
                            raise DownloadFailed("recording larger than the limit")
                        staged.writer.write(chunk)
            if staged.size == 0:
                raise DownloadFailed("empty recording")
            await staged.writer.finish()
            now = self.ctx.clock.now()
            await staged.store_key(self.ctx, now)
            async with self.ctx.db.session(system=True) as session:
                repo = JobRepository(session)
                if not await repo.finish(job.id, state="done", now=now, leased_until=until):
                    staged.abort(self.ctx)
                    return  # another worker took over; its download counts
                fresh = await repo.call(call.id)
                if fresh is None:
                    staged.abort(self.ctx)
                    return
                fresh.recording_nonce = staged.nonce
                fresh.recording_size = staged.size
                fresh.updated_at = now
                await enqueue(session, fresh, "process", now=now)
                staged.writer.publish()
                await session.commit()
        except BaseException:
            staged.abort(self.ctx)
            raise
        self.completed += 1

    async def _process(self, job: CallJob, call: Call, until: datetime) -> None:
        now = self.ctx.clock.now()
        data = await recording.read(self.ctx, call.practice_id, call.id, call.recording_nonce,
                                    now=now)
        analyzer = self.analyzer

        def analyse() -> tuple[CallAnalysis, float | None]:
            # PyAV and numpy load on the first call, not with the server (start-up time).
            from backend_server.assistant.audio import AudioDecodeError, duration_seconds

            try:
                seconds: float | None = duration_seconds(data)
            except AudioDecodeError:
                seconds = None  # the analyser says what is wrong with the file
            return analyzer(data, call.from_number), seconds

        analysis, seconds = await in_daemon_thread(analyse)
        now = self.ctx.clock.now()
        async with self.ctx.db.session(system=True) as session:
            repo = JobRepository(session)
            if not await repo.finish(job.id, state="done", now=now, leased_until=until):
                return  # another worker took over after our lease ran out
            fresh = await repo.call(call.id)
            if fresh is None:
                await session.commit()
                return
            apply_analysis(fresh, analysis, now)
            if fresh.duration_seconds is None and seconds is not None:
                fresh.duration_seconds = round(seconds)
            await session.commit()
        self.completed += 1
        log.info("call %s processed (category %s, urgent %s)", call.id, analysis.category,
                 analysis.urgent)


T = TypeVar("T")


async def in_daemon_thread(fn: Callable[[], T]) -> T:
    """Runs ``fn`` in its own daemon thread. A transcription takes seconds and cannot be
    interrupted: on shutdown the worker stops waiting for the result at once (the job's lease
    runs out and the next start takes it again), then :func:`wait_for_analyses` lets the
    running ones end: a process that exits while CTranslate2's native threads are busy is
    killed by ``std::terminate`` (SIGABRT) instead of exiting cleanly."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return  # cancelled meanwhile (shutdown)
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result, error = fn(), None
        except BaseException as exc:
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
            loop.call_soon_threadsafe(settle, result, error)
        with _running_lock:
            _running.discard(threading.current_thread())

    thread = threading.Thread(target=run, name="call-analysis", daemon=True)
    with _running_lock:
        _running.add(thread)
    thread.start()
    return await future


_running: set[threading.Thread] = set()
_running_lock = threading.Lock()


async def wait_for_analyses(timeout: float) -> bool:
    """Waits up to ``timeout`` seconds for analyses still running in their threads (see
    :func:`in_daemon_thread`); False if some are still busy after that."""
    def join_all() -> bool:
        deadline = time.monotonic() + timeout
        with _running_lock:
            threads = list(_running)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with _running_lock:
            _running.difference_update(t for t in threads if not t.is_alive())
            return not any(t.is_alive() for t in _running)

    return await asyncio.to_thread(join_all)


def apply_analysis(call: Call, analysis: CallAnalysis, now: datetime) -> None:
    """The pipeline's result on the call (fields staff corrected meanwhile are kept)."""
    call.transcript = analysis.transcript
    call.category = analysis.category
    call.urgent = analysis.urgent
    call.urgent_reasons = list(analysis.urgent_reasons)
    call.caller_name = call.caller_name or analysis.caller.name
    call.caller_dob = call.caller_dob or analysis.caller.dob
    call.callback_number = call.callback_number or analysis.caller.phone
    call.wished_time = analysis.wished_time
    call.processing = "ready"
    call.processed_at = now
    call.updated_at = now
