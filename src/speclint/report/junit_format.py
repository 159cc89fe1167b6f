"""``--format junit``: JUnit XML (valid against pytest's junit-10.xsd).

One ``testsuite`` named speclint; one ``testcase`` per file (a file with findings fails); one
``failure`` per finding. ``failures`` counts failing files, so ``tests - failures`` passed. The
suppressed and baselined counts go in ``properties``. A file speclint could not process gets
an ``error`` element instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from speclint.report import Report, clean_path, summarise

# Characters XML 1.0 cannot carry, even escaped.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Replace characters XML 1.0 forbids with a visible ``\\uNNNN`` escape."""
    return NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(report: Report) -> str:
    tests = len(report.files)
    failed = sum(1 for r in report.files if r.findings)
    errors = sum(1 for r in report.files if r.internal_error and not r.findings)
    counts = {"tests": str(tests), "failures": str(failed), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": "speclint", **counts, "time": "0"})
    suite = ET.SubElement(root, "testsuite", {"name": "speclint", **counts, "skipped": "0"})
    suite.set("time", "0")
    summary = report.summary or summarise(report.files)
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("speclint.version", report.version),
        ("suppressed", str(summary.get("suppressed", 0))),
        ("baselined", str(report.baselined)),
    ):
        ET.SubElement(props, "property", {"name": name, "value": xml_text(value)})
    for result in report.files:
        path = xml_text(clean_path(result.path))
        case = ET.SubElement(suite, "testcase", {"name": path, "classname": "speclint"})
        case.set("time", "0")
        for f in result.findings:
            title = xml_text(f"{f.code} {f.rule}: {f.message}")
            failure = ET.SubElement(case, "failure", {"message": title, "type": f.severity})
            body = f"{path}:{f.line}:{f.column}: {f.severity} {title}"
            failure.text = body + (f"\n{xml_text(f.hint)}" if f.hint else "")
        if result.internal_error:
            error = ET.SubElement(case, "error", {"message": "internal error", "type": "internal"})
            error.text = xml_text(result.internal_error)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
