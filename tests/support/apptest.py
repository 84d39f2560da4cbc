"""What every AppTest in a test process can share.

Each new `AppTest` scans every installed distribution for Streamlit component manifests on its
first run (`BidiComponentManager.discover_and_register_components`): ~0.12 s of CPU reading the
metadata of every package, about 400 times a session. The installed packages do not change while
the tests run, so the scan is done once per process and its result handed to every AppTest.
"""

from __future__ import annotations

from functools import cache

from streamlit.components.v2 import manifest_scanner

_scan_installed = manifest_scanner.scan_component_manifests


@cache
def _scanned() -> tuple:
    return tuple(_scan_installed())


def scan_component_manifests(max_workers: int | None = None) -> list:
    """`manifest_scanner.scan_component_manifests`, scanned once per process (a fresh list each call)."""
    return list(_scanned())


def share_component_scan() -> None:
    """Make every AppTest of this process use the one scan (the scanner is looked up when called)."""
    manifest_scanner.scan_component_manifests = scan_component_manifests
