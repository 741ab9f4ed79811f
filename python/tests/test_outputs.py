"""The CLI's reports and exports read by the tools they are for: the run
manifest in Parquet by pyarrow, the WebDataset shards by webdataset, and
each command's report.html loaded in headless Chromium (selenium +
chromedriver, Debian's chromium), checked from outside the page."""

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import framesift.ray as fr

from conftest import read_jsonl, run_cli

COMMON = ["--report", "--manifest", "jsonl,parquet", "-q"]


@pytest.fixture(scope="module")
def runs(cli, videos, tmp_path_factory):
    d = tmp_path_factory.mktemp("outputs")
    shards = ["--webdataset", "shards/f-%06d.tar", "--shard-size", "4", "--contact-sheet"]
    run_cli(cli, "sample", *videos[:2], "-o", d / "sample", *COMMON, *shards)
    run_cli(cli, "select", *videos[:2], "-o", d / "select", "--n", "4", *COMMON, *shards)
    run_cli(cli, "segment", videos[0], "-o", d / "segment", "--no-clips", *COMMON)
    return d


@pytest.mark.parametrize("command", ["sample", "select", "segment"])
def test_parquet_matches_the_jsonl_manifest_row_for_row(runs, command):
    out = runs / command
    rows = read_jsonl(out / "manifest.jsonl")
    table = pq.read_table(out / "manifest.parquet")
    assert table.num_rows == len(rows) > 0
    got = table.to_pylist()
    # Embeddings are float32: compare them as float32 (JSON holds the
    # shortest decimal of each, Parquet the value itself).
    for g, r in zip(got, rows):
        ge, re_ = g.pop("embedding"), r.pop("embedding")
        assert (ge is None) == (re_ is None)
        if ge is not None:
            assert np.array_equal(np.float32(ge), np.float32(re_))
    assert got == rows
    # One schema for the CLI and the Ray package.
    emb = table.schema.field("embedding").type
    dim = emb.list_size if hasattr(emb, "list_size") and emb.list_size > 0 else None
    assert table.schema.remove_metadata().equals(fr.row_schema(dim)), table.schema
    if command == "select":
        assert dim and dim > 0
        assert all(len(e) == dim for e in table.column("embedding").to_pylist())


@pytest.mark.parametrize("command", ["sample", "select"])
def test_webdataset_reads_the_shards_as_the_manifest_says(runs, command):
    import webdataset as wds

    out = runs / command
    rows = [r for r in read_jsonl(out / "manifest.jsonl") if r["path"]]
    shards = sorted((out / "shards").glob("f-*.tar"))
    assert len(shards) == -(-len(rows) // 4)
    samples = list(wds.WebDataset([str(s) for s in shards], shardshuffle=False, empty_check=False))
    assert len(samples) == len(rows)
    for s, r in zip(samples, rows):
        assert "." not in s["__key__"]
        assert s["jpg"] == (out / r["path"]).read_bytes()
        meta = json.loads(s["json"])
        assert meta == {**r, "embedding": None}


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not chrome or not driver:
        pytest.fail("no chromium/chromedriver: run scripts/setup-deps.sh (Debian's chromium, chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--window-size=1280,1600"]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=opts)


@pytest.fixture(scope="module")
def browser():
    b = _browser()
    yield b
    b.quit()


@pytest.mark.parametrize("command", ["sample", "select", "segment"])
def test_the_report_loads_in_a_browser_without_errors_and_every_image_resolves(runs, browser, command, tmp_path):
    page = runs / command / "report.html"
    browser.get(page.as_uri())
    # Lazy images load when seen: bring each into view, then wait for all.
    browser.execute_script("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; });")
    deadline = time.monotonic() + 20
    state = None
    while time.monotonic() < deadline:
        state = browser.execute_script(
            "const imgs = [...document.images];"
            "return {n: imgs.length, done: imgs.filter(i => i.complete).length,"
            " broken: imgs.filter(i => i.complete && i.naturalWidth === 0).map(i => i.getAttribute('src'))};"
        )
        if state["done"] == state["n"]:
            break
        time.sleep(0.1)
    assert state and state["n"] > 0 and state["done"] == state["n"], state
    assert state["broken"] == [], state["broken"]
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors
    # What the page shows for its command.
    text = browser.find_element("tag name", "body").text
    assert f"framesift {command} report" in text
    if command == "select":
        assert "coverage radius" in text
        assert browser.execute_script("return document.querySelectorAll('circle.pick').length") == 8  # 4 per video
    if command == "segment":
        assert "Segments (" in text
    # The legend hides a decision's marks (the page's own script ran).
    boxes = browser.find_elements("css selector", ".legend input[data-class]")
    assert boxes
    boxes[0].click()
    section = browser.find_element("tag name", "section")
    assert "hide-" in section.get_attribute("class")
    shot = tmp_path / f"{command}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    if os.environ.get("FRAMESIFT_SCREENSHOTS"):
        shutil.copy(shot, Path(os.environ["FRAMESIFT_SCREENSHOTS"]) / shot.name)
