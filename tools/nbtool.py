"""Keep lesson notebooks in the form the project stores them.

    python tools/nbtool.py strip    NOTEBOOK...   # outputs kept only on checkpoint cells
    python tools/nbtool.py refresh  NOTEBOOK...   # execute, then strip (updates checkpoints)
    python tools/nbtool.py check    [NOTEBOOK...] # report hygiene problems; exit 1 if any
    python tools/nbtool.py from-md  DRAFT.md NOTEBOOK.ipynb  # MyST-markdown draft -> notebook

Stored form (DESIGN.md): code-cell outputs only on cells tagged ``nbval-check-output`` (their
printed values are the lesson's checkpoints, compared by nbval); no stored widget state; kernel
spec ``python3``; no execution counts except on checkpoint cells.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

CHECK_TAG = "nbval-check-output"
IGNORE_TAG = "nbval-ignore-output"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
ROOT = Path(__file__).resolve().parents[1]


def lesson_paths(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    return sorted(p for p in (ROOT / "lessons").rglob("*.ipynb")
                  if "_build" not in p.parts and ".ipynb_checkpoints" not in p.parts)


def strip(nb) -> None:
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.setdefault("language_info", {"name": "python"})
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        if CHECK_TAG in cell.metadata.get("tags", []):
            # keep only plain-text outputs of checkpoints (what nbval compares)
            cell.outputs = [o for o in cell.outputs if o.get("output_type") == "stream"
                            or "text/plain" in o.get("data", {})]
            for o in cell.outputs:
                if "data" in o:
                    o["data"] = {"text/plain": o["data"]["text/plain"]}
                    o["metadata"] = {}
        else:
            cell.outputs = []
            cell.execution_count = None


def problems(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    out = []
    if "widgets" in nb.metadata:
        out.append("stores widget state in its metadata")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        out.append("kernel spec is not python3")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        if cell.get("outputs") and CHECK_TAG not in tags:
            out.append(f"cell {i} stores outputs but is not tagged {CHECK_TAG}")
        if CHECK_TAG in tags and not cell.get("outputs"):
            out.append(f"checkpoint cell {i} has no stored output (run tools/nbtool.py refresh)")
        if CHECK_TAG in tags and IGNORE_TAG in tags:
            out.append(f"cell {i} is tagged both {CHECK_TAG} and {IGNORE_TAG}")
        for o in cell.get("outputs", []):
            if set(o.get("data", {})) - {"text/plain"}:
                out.append(f"checkpoint cell {i} stores rich output (images/HTML)")
    return out


def refresh(path: Path) -> None:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    strip(nb)
    nbformat.write(nb, path)


def from_md(draft: Path, target: Path) -> None:
    import jupytext

    nb = jupytext.read(draft)
    nb.metadata.pop("jupytext", None)
    strip(nb)
    nbformat.write(nb, target)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"strip", "refresh", "check", "from-md"}:
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "from-md":
        from_md(Path(args[0]), Path(args[1]))
        return 0
    bad = 0
    for path in lesson_paths(args):
        if cmd == "strip":
            nb = nbformat.read(path, as_version=4)
            strip(nb)
            nbformat.write(nb, path)
        elif cmd == "refresh":
            refresh(path)
            print(f"refreshed {path}")
        else:
            for p in problems(path):
                print(f"{path}: {p}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
