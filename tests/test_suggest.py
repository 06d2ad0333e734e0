""""Did you mean" gives what difflib gives, without comparing with every URL of a site."""

from __future__ import annotations

import difflib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from naislint.site import urls
from naislint.site.index import SiteIndex
from naislint.site.suggest import CloseMatcher

WORDS = st.text(alphabet="ab/-c", min_size=0, max_size=14)


@settings(max_examples=400, deadline=None)
@given(words=st.lists(WORDS, max_size=40), word=WORDS, cutoff=st.sampled_from([0.6, 0.8, 0.9]))
def test_best_is_what_get_close_matches_gives(words: list[str], word: str, cutoff: float) -> None:
    expected = difflib.get_close_matches(word, words, n=1, cutoff=cutoff)
    assert CloseMatcher(words).best(word, cutoff) == (expected[0] if expected else None)


def big_index(root: Path, pages: int) -> SiteIndex:
    """An index of ``pages`` pages in a few folders, with names as authors write them."""
    index = SiteIndex(str(root))
    words = ["grant", "garden", "recycling", "notice", "tender", "report", "school", "transport", "water", "energy"]
    for i in range(pages):
        slug = f"{words[i % 10]}-{words[(i // 10) % 10]}-{words[(i // 100) % 10]}-{i}"
        url = f"/section-{i % 7}/{slug}/"
        rel = f"pages/{slug}.md"
        index.pages[rel] = url
        index._register(urls.key(url), rel)
    return index


def count_comparisons(monkeypatch) -> list[str]:
    seen: list[str] = []
    original = difflib.SequenceMatcher.set_seq1

    def counting(self, a):
        seen.append(a)
        return original(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    return seen


def test_a_broken_link_is_compared_with_few_urls(tmp_path: Path, monkeypatch) -> None:
    index = big_index(tmp_path, 3000)
    real = index.pages["pages/energy-recycling-tender-1429.md"]
    seen = count_comparisons(monkeypatch)
    # One letter missing in the last segment of a page that exists.
    assert index.suggest(real.replace("tender", "tendr")) == real
    assert 0 < len(seen) < 300


def test_suggestions_on_a_big_folder_are_difflibs(tmp_path: Path) -> None:
    index = big_index(tmp_path, 1500)
    keys = list(index.targets)
    real = [index.pages[rel] for rel in list(index.pages)[100:1500:350]]
    typos = [url.replace("-", "", 1).replace("e", "a", 2) for url in real] + [url[:-4] + "x/" for url in real]
    answers = []
    for broken in ["/section-1/energy-notice-grant-1191x/", "/section-5/schol-tender-water-1055/", "/nowhere/at/all/",
                   "/section-0/transport-report-/", *typos]:
        k = urls.key(broken)
        parent, _, last = k.rpartition("/")
        siblings = [c for c in index.children.get(parent or "/", []) if c != k]
        names = {c.rpartition("/")[2]: c for c in siblings}
        near = difflib.get_close_matches(last, list(names), n=1, cutoff=0.8) if len(last) >= 6 else []
        anywhere = difflib.get_close_matches(k, keys, n=1, cutoff=0.9)
        expected = names[near[0]] if near else anywhere[0] if anywhere else None
        answers.append(index.suggest(broken))
        assert answers[-1] == (index.pages[index.targets[expected][0]] if expected else None)
    assert sum(1 for a in answers if a) >= 4


def test_the_work_for_one_broken_link_is_bounded(tmp_path: Path, monkeypatch) -> None:
    """On a site whose URLs share most of their bigrams (6,000 pages made of ten words),
    one broken link looks at no more than MAX_COMPARED strings per question."""
    from naislint.site import suggest

    index = big_index(tmp_path, 6000)
    looked: list[int] = []
    original = suggest.CloseMatcher._compare

    def counting(self, word, cutoff, candidates):
        candidates = list(candidates)
        looked.extend(candidates)
        return original(self, word, cutoff, candidates)

    monkeypatch.setattr(suggest.CloseMatcher, "_compare", counting)
    real = index.pages["pages/energy-recycling-tender-1429.md"]
    elsewhere = real.replace("/section-1/", "/section-4/").replace("tender", "tendr")
    assert index.suggest(elsewhere) is not None
    assert 0 < len(looked) <= 2 * suggest.MAX_COMPARED
