"""Job tests run the real worker in-process against a real migrated database of each backend,
with job types registered by the tests themselves."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from tests.jobs.helpers import make_database
from vidpub.config import Config
from vidpub.jobs.registry import REGISTRY, JobSpec, register

_type_counter = itertools.count()


@pytest.fixture(scope="session")
def jobs_config(database_url_factory, tmp_path_factory) -> Config:
    """One migrated database per backend shared by the job tests (each uses its own job types)."""
    return make_database(database_url_factory(), tmp_path_factory.mktemp("jobs-data"))


@pytest.fixture
def fresh_jobs_config(database_url_factory, tmp_path) -> Config:
    """A database of its own, for tests that act on every job of the table."""
    return make_database(database_url_factory(), tmp_path / "data")


@pytest.fixture
def job_types():
    """`job_types(handler, **policy)` registers a uniquely named job type, removed after the test."""
    added: list[str] = []

    def add(handler: Callable, **policy) -> str:
        type_ = f"test-{next(_type_counter)}-{handler.__name__}"[:64]
        register(JobSpec(type_, handler, **policy))
        added.append(type_)
        return type_

    yield add
    for type_ in added:
        REGISTRY.pop(type_, None)
