"""The model letter in the target's preferred languages (issue 13)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from conftest import REPO, pdf_fonts_or_skip, replace_once
from docx.oxml.ns import qn
from docx_ua import make_ua_docx

from uai18n.config import load_config
from uai18n.letters import (
    covered_letter_languages,
    letter_segments,
    preferred_languages,
    ui_text,
)
from uai18n.localize import Letter, UiText, localize
from uai18n.model import Block, Document, Role, Variable
from uai18n.po import read_catalog, write_catalog
from uai18n.project import Project
from uai18n.states import is_live
from uai18n.writers.html import render_html
from uai18n.writers.text import render_text

DOC = "ua-2-19-chechnya"
PREFERRED = "PREFERRED LANGUAGE TO ADDRESS TARGET: RUSSIAN, ENGLISH"


def _project(root: Path) -> Project:
    return Project(load_config(root))


def _letter_msgids(root: Path, doc: str = DOC) -> set[str]:
    project = _project(root)
    source = next(path for path in project.sources() if path.stem == doc)
    return {segment.text for segment in letter_segments(project.document(source))}


def _edit(root: Path, language: str, change, doc: str = DOC) -> None:  # type: ignore[no-untyped-def]
    """Apply ``change(entry)`` to every live entry of a catalogue."""
    po = root / "po" / language / f"{doc}.po"
    catalog = read_catalog(po, str(po))
    for entry in catalog:
        if is_live(entry):
            change(entry)
    write_catalog(po, catalog)


def _translate_letter(root: Path, language: str, text: str, doc: str = DOC) -> None:
    """Translate every letter entry of ``language`` as ``text`` (labels copied)."""
    wanted = _letter_msgids(root, doc)

    def fill(entry) -> None:  # type: ignore[no-untyped-def]
        if entry.msgid in wanted:
            # the msgid after the text: its tags and {fields} kept, as a layout needs them
            entry.msgstr = entry.msgid if entry.msgid.endswith(":") else f"{text} {entry.msgid}"
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")

    _edit(root, language, fill, doc)


def _run(cli, root: Path, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), *(args or ("run",)))
    assert result.exit_code in (0, 1), result.output
    return result.output


def _output(root: Path, language: str, ending: str, doc: str = DOC) -> str:
    return (root / "output" / language / f"{doc}{ending}").read_text("utf-8")


def _letters(page: str) -> list[tuple[str, str, str, str]]:
    """(heading, lang, dir, first line) of each appended letter of an HTML page."""
    tree = lxml.html.document_fromstring(page)
    found = []
    for section in tree.xpath("//section[@class='letters']/section[@class='letter-translation']"):
        (heading,) = section.xpath("./h2")
        (letter,) = section.xpath("./section[@class='model-letter']")
        found.append(
            (heading.text_content(), letter.get("lang"), letter.get("dir"), letter.text_content())
        )
    return found


# --- the bundled UA -------------------------------------------------------------------


def test_french_output_ends_with_the_russian_and_english_letters(project: Path, cli) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    text = _output(project, "fr", ".txt")
    russian = text.index("Modèle de lettre en russe")
    english = text.index("Modèle de lettre en anglais")
    assert text.index("17 mai 2019") < russian < english
    assert russian < text.index("Уважаемый господин Президент!") < english
    assert text.index("Президент Российской Федерации") > russian  # the addressee's title
    assert text.endswith("Yours sincerely,\n")  # the English letter ends the output
    assert "n’est pas encore disponible" not in text

    page = _output(project, "fr", ".html")
    letters = _letters(page)
    assert [(heading, lang, direction) for heading, lang, direction, _ in letters] == [
        ("Modèle de lettre en russe", "ru", "ltr"),
        ("Modèle de lettre en anglais", "en", "ltr"),
    ]
    assert "Уважаемый господин Президент!" in letters[0][3] and "С уважением," in letters[0][3]
    assert "Dear President," in letters[1][3] and "Vladimir Putin" in letters[1][3]
    main = lxml.html.document_fromstring(page).xpath("//main")[0]
    assert main[-1].get("class") == "letters"  # nothing after the letters

    assert covered_letter_languages(_project(project), DOC, "fr") == ["ru", "en"]
    project_ = _project(project)
    source = project_.sources()[0]
    assert covered_letter_languages(project_, source, "fr") == ["ru", "en"]
    assert covered_letter_languages(project_, project_.document(source), "fr") == ["ru", "en"]
    assert covered_letter_languages(project_, "no-such-doc", "fr") == []


def test_spanish_headings_name_the_languages_in_spanish(project: Path, cli) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    text = _output(project, "es", ".txt")
    assert "Modelo de carta en ruso" in text and "Modelo de carta en inglés" in text


def test_a_fuzzy_letter_entry_leaves_the_russian_letter_out(project: Path, cli) -> None:
    _run(cli, project)
    assert (project / "output/ru" / f"{DOC}.letter.txt").exists()
    salutation = "Dear President,"
    _edit(project, "ru", lambda entry: entry.msgid == salutation and entry.flags.append("fuzzy"))
    _run(cli, project)

    text = _output(project, "fr", ".txt")
    assert "Modèle de lettre en russe" not in text and "Уважаемый" not in text
    assert "Modèle de lettre en anglais" in text  # English is the source: always there
    assert text.endswith("Le modèle de lettre n’est pas encore disponible en russe.\n")
    page = _output(project, "fr", ".html")
    assert [heading for heading, *_ in _letters(page)] == ["Modèle de lettre en anglais"]
    (note,) = lxml.html.document_fromstring(page).xpath("//p[@class='letters-note']")
    assert note.text_content() == "Le modèle de lettre n’est pas encore disponible en russe."
    assert note.get("lang") is None  # French, as the page
    assert covered_letter_languages(_project(project), DOC, "fr") == ["en"]
    # the Russian letter files are gone: no outdated letter to pull
    assert not (project / "output/ru" / f"{DOC}.letter.txt").exists()
    assert not (project / "output/ru" / f"{DOC}.letter.html").exists()


def test_when_no_preferred_language_is_covered_the_output_says_so(project: Path, cli) -> None:
    replace_once(project / "source" / f"{DOC}.txt", PREFERRED, PREFERRED.replace(", ENGLISH", ""))
    _edit(
        project,
        "ru",
        lambda entry: entry.msgid == "Yours sincerely," and setattr(entry, "msgstr", ""),
    )
    _run(cli, project)
    text = _output(project, "fr", ".txt")
    assert "Modèle de lettre" not in text
    assert text.endswith("Le modèle de lettre n’est pas encore disponible en russe.\n")
    page = _output(project, "fr", ".html")
    assert _letters(page) == []
    assert "Le modèle de lettre n’est pas encore disponible en russe." in page
    assert covered_letter_languages(_project(project), DOC, "fr") == []


def test_russian_letter_files_are_written_though_russian_is_not_built(project: Path, cli) -> None:
    output = _run(cli, project)
    assert re.search(r"^ru .*NOT BUILT", output, re.MULTILINE), output
    ru = project / "output/ru"
    assert not (ru / f"{DOC}.txt").exists() and not (ru / f"{DOC}.html").exists()
    text = (ru / f"{DOC}.letter.txt").read_text("utf-8")
    assert text.startswith("Образец письма: русский язык\n\nVladimir Putin\n")
    assert text.endswith("С уважением,\n")
    assert "ADDITIONAL INFORMATION" not in text and "Dear President" not in text
    page = lxml.html.document_fromstring((ru / f"{DOC}.letter.html").read_text("utf-8"))
    assert page.get("lang") == "ru" and page.get("dir") == "ltr"
    assert page.xpath("//h1")[0].text_content() == "Образец письма: русский язык"
    assert "Уважаемый господин Президент!" in page.xpath("//section[@lang='ru']")[0].text_content()
    # languages whose letter is not translated get none
    assert not list((project / "output/ar").glob("*.letter.*"))
    assert not list((project / "output/de").glob("*.letter.*"))


def test_an_arabic_letter_is_right_to_left(project: Path, cli) -> None:
    replace_once(
        project / "source" / f"{DOC}.txt",
        PREFERRED,
        PREFERRED.replace("RUSSIAN", "ARABIC, RUSSIAN"),
    )
    _run(cli, project)  # creates po/ar from the new template
    _translate_letter(project, "ar", "نص الرسالة")
    _run(cli, project)
    letters = _letters(_output(project, "fr", ".html"))
    assert [(heading, lang, direction) for heading, lang, direction, _ in letters] == [
        ("Modèle de lettre en arabe", "ar", "rtl"),
        ("Modèle de lettre en russe", "ru", "ltr"),
        ("Modèle de lettre en anglais", "en", "ltr"),
    ]
    page = lxml.html.document_fromstring(_output(project, "fr", ".html"))
    (arabic,) = page.xpath("//section[@lang='ar']")
    names = arabic.xpath(".//span[@class='verbatim']")
    assert names[0].text == "Vladimir Putin" and names[0].get("dir") == "ltr"
    standalone = lxml.html.document_fromstring(_output(project, "ar", ".letter.html"))
    assert standalone.get("lang") == "ar" and standalone.get("dir") == "rtl"
    assert standalone.xpath("//h1")[0].text_content() == "نموذج الرسالة باللغة العربية"


def test_a_hostile_translation_in_the_letter_is_escaped(project: Path, cli) -> None:
    hostile = '</section><script>alert("x")</script><img src=x onerror=alert(1)> &amp; Уважаемый'
    _edit(
        project,
        "ru",
        lambda entry: entry.msgid == "Dear President," and setattr(entry, "msgstr", hostile),
    )
    _run(cli, project)
    for path in (f"fr/{DOC}.html", f"ru/{DOC}.letter.html"):
        page = (project / "output" / path).read_text("utf-8")
        assert "<script>" not in page and "<img" not in page, path
        assert "&lt;/section&gt;&lt;script&gt;" in page and "&amp;amp; Уважаемый" in page
        tree = lxml.html.document_fromstring(page)
        assert not tree.xpath("//script | //img")
        (salutation,) = tree.xpath("//section[@lang='ru']/p[@class='salutation']")
        assert salutation.text_content() == hostile
    assert hostile in _output(project, "fr", ".txt")  # plain text: as written


# --- reviews ------------------------------------------------------------------------


def test_reviews_are_required_when_either_policy_asks_for_them(project: Path, cli) -> None:
    config = project / "uai18n.toml"
    replace_once(
        config,
        "[languages.fr]\nrequired = true\n",
        "[languages.fr]\nrequired = true\nmin_reviewed = 100\n",
    )
    result = cli("-C", str(project), "review", "--lang", "fr", "--all", "--by", "Ana")
    assert result.exit_code == 0, result.output
    _run(cli, project)
    text = _output(project, "fr", ".txt")  # fr asks for reviews: an unreviewed ru letter stays out
    assert "Modèle de lettre en russe" not in text
    assert text.endswith("Le modèle de lettre n’est pas encore disponible en russe.\n")
    assert (project / "output/ru" / f"{DOC}.letter.txt").exists()  # ru itself does not ask

    letter = sorted(_letter_msgids(project))
    entries = [arg for msgid in letter for arg in ("--entry", msgid)]
    result = cli("-C", str(project), "review", "--lang", "ru", "--by", "Oleg", *entries)
    assert result.exit_code == 0, result.output
    _run(cli, project)
    assert "Modèle de lettre en russe" in _output(project, "fr", ".txt")

    # the letter's own language asking for reviews counts too: edit one reviewed entry
    replace_once(config, "[languages.ru]\n", "[languages.ru]\nmin_reviewed = 10\n")
    replace_once(
        config,
        "[languages.fr]\nrequired = true\nmin_reviewed = 100\n",
        "[languages.fr]\nrequired = true\n",
    )
    _edit(
        project,
        "ru",
        lambda entry: (
            entry.msgid == "Yours sincerely," and setattr(entry, "msgstr", "С глубоким уважением,")
        ),
    )
    _run(cli, project)
    assert "Modèle de lettre en russe" not in _output(project, "fr", ".txt")  # a stale sign-off
    assert not (project / "output/ru" / f"{DOC}.letter.txt").exists()


def test_an_unreadable_catalogue_leaves_its_letter_files_as_they_are(project: Path, cli) -> None:
    _run(cli, project)
    letters = {path: path.read_bytes() for path in (project / "output/ru").glob("*.letter.*")}
    assert len(letters) == 2
    ru = project / "po/ru" / f"{DOC}.po"
    ru.write_text(ru.read_text("utf-8") + '\nmsgid "dangling"\n', "utf-8")
    result = cli("-C", str(project), "run")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert {path: path.read_bytes() for path in letters} == letters
    assert "n’est pas encore disponible en russe" in _output(project, "fr", ".txt")


# --- rebuilds -----------------------------------------------------------------------


def test_rebuilds_change_no_byte_and_follow_the_letter_catalogues(project: Path, cli) -> None:
    _run(cli, project)
    output = project / "output"
    before = {path: path.read_bytes() for path in sorted(output.rglob("*")) if path.is_file()}
    _run(cli, project)
    shutil.rmtree(project / ".uai18n")
    _run(cli, project)
    after = {path: path.read_bytes() for path in sorted(output.rglob("*")) if path.is_file()}
    assert after == before
    # only the Russian catalogue changes: the French output follows it
    _edit(
        project,
        "ru",
        lambda entry: (
            entry.msgid == "Yours sincerely," and setattr(entry, "msgstr", "С глубоким уважением,")
        ),
    )
    _run(cli, project)
    assert "С глубоким уважением," in _output(project, "fr", ".txt")
    assert "С глубоким уважением," in _output(project, "ru", ".letter.txt")


def test_without_a_preferred_language_line_there_is_no_letter_section(project: Path, cli) -> None:
    replace_once(project / "source" / f"{DOC}.txt", PREFERRED + "\n", "")
    _run(cli, project)
    text = _output(project, "fr", ".txt")
    assert "Modèle de lettre" not in text and "pas encore disponible" not in text
    assert '<section class="letters"' not in _output(project, "fr", ".html")


# --- the pieces ---------------------------------------------------------------------


def _with_preferred(text: str, language: str = "en") -> Document:
    variable = Variable("languages", text)
    block = Block(Role.PREFERRED_LANGUAGES, 1, variables=(variable,))
    return Document("x", "source/x.txt", language, (block,))


def test_preferred_language_names_are_read_with_cldr_and_unknown_ones_warned() -> None:
    assert preferred_languages(_with_preferred("RUSSIAN, ENGLISH")).codes == ("ru", "en")
    assert preferred_languages(_with_preferred("Arabic and French")).codes == ("ar", "fr")
    assert preferred_languages(_with_preferred("RUSO, INGLÉS", "es")).codes == ("ru", "en")
    found = preferred_languages(_with_preferred("RUSSIAN, KLINGONESE, ENGLISH"))
    assert found.codes == ("ru", "en") and found.unknown == ("KLINGONESE",)
    assert "KLINGONESE" in found.warnings()[0]


def test_our_words_come_from_our_table_or_english() -> None:
    assert ui_text("fr", 0, language="ru") == UiText("Modèle de lettre en russe", "fr")
    assert ui_text("de", 0, language="en") == UiText("Musterbrief auf Englisch", "de")
    assert ui_text("pt_BR", 1, languages=("ru",)).language == "pt_BR"
    assert ui_text("es", 1, languages=("ru", "en")).text == (
        "El modelo de carta aún no está disponible en ruso e inglés."
    )
    assert ui_text("ja", 0, language="ru") == UiText("Model letter in Russian", "en")


def test_an_english_heading_in_another_page_says_it_is_english(project: Path) -> None:
    project_ = _project(project)
    source = project_.sources()[0]
    document = project_.document(source)
    letter = localize(document, "en", lambda text: text)
    letter = type(letter)(**{**letter.__dict__, "blocks": letter.blocks[5:9]})
    page = localize(document, "ja", {}.get, draft=True, variable_locale="ja")
    page = type(page)(
        **{
            **page.__dict__,
            "letters": (Letter(ui_text("ja", 0, language="en"), letter),),
            "letters_note": ui_text("ja", 1, languages=("ru",)),
        }
    )
    tree = lxml.html.document_fromstring(render_html(page))
    (heading,) = tree.xpath("//section[@class='letters']//h2")
    assert heading.text == "Model letter in English" and heading.get("lang") == "en"
    (note,) = tree.xpath("//p[@class='letters-note']")
    assert note.get("lang") == "en" and note.get("dir") == "ltr"
    assert render_text(page).endswith("The model letter is not yet available in Russian.\n")


# --- Word and PDF -------------------------------------------------------------------


def test_word_output_ends_with_the_letters_marked_with_their_language(tmp_path: Path, cli) -> None:
    doc = "ua-6-19-lawyers"
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "uai18n.toml", root / "uai18n.toml")
    make_ua_docx(root / "source" / f"{doc}.docx")  # PREFERRED ...: ARABIC, ENGLISH
    _run(cli, root)
    _translate_letter(root, "ar", "نص الرسالة", doc)
    result = cli("-C", str(root), "build", "--lang", "fr", "--draft")
    assert result.exit_code == 0, result.output
    word = docx.Document(str(root / "output/fr" / f"{doc}.docx"))
    texts = [paragraph.text for paragraph in word.paragraphs]
    arabic = texts.index("Modèle de lettre en arabe")
    english = texts.index("Modèle de lettre en anglais")
    assert arabic < english and texts[-1] == "Yours sincerely,"
    heading = word.paragraphs[arabic]
    assert heading.style.name.startswith("Heading")
    first = word.paragraphs[arabic + 1]._p
    assert first.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None
    langs = {lang.get(qn("w:bidi")) for lang in first.iter(qn("w:lang"))}
    assert langs == {"ar"}
    assert first.find(f".//{qn('w:rPr')}/{qn('w:rtl')}") is not None
    last = word.paragraphs[-1]._p
    assert {lang.get(qn("w:val")) for lang in last.iter(qn("w:lang"))} == {"en"}
    assert last.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is None
    # one section still: the body's section properties stay last
    body = word.element.body
    assert body[-1].tag == qn("w:sectPr") and len(body.findall(f".//{qn('w:sectPr')}")) == 1


def test_pdf_ends_with_the_letters(project: Path, cli) -> None:
    pdf_fonts_or_skip()
    result = cli("-C", str(project), "build", "--lang", "fr", "--format", "pdf", "-j", "1")
    assert result.exit_code == 0, result.output
    data = (project / "output/fr" / f"{DOC}.pdf").read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages)
    assert text.index("Modèle de lettre en russe") < text.index("Modèle de lettre en anglais")
    assert "Уважаемый господин Президент!" in text
    russian = next(page for page in pages if "Modèle de lettre en russe" in page)
    assert russian.startswith("Modèle de lettre en russe")  # a letter starts a page


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_letter_files_are_only_txt_and_html(project: Path, cli, language: str) -> None:
    _run(cli, project)
    found = sorted(path.name for path in (project / "output" / language).glob("*.letter.*"))
    assert found == [f"{DOC}.letter.html", f"{DOC}.letter.txt"]
