"""Write the licences of the bundled components, from the installed packages' metadata, to a
JSON file that the frozen build carries as ``resources/licences.json`` (see
``hemlos_desktop/services/licences.py``; the About dialog shows it).

    .venv/bin/python tools/write_licences.py build/licences/licences.json
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hemlos_desktop.services.licences import components_from_metadata, to_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    components = components_from_metadata()
    args.output.write_text(to_json(components), encoding="utf-8")
    print(f"{len(components)} components written to {args.output}")


if __name__ == "__main__":
    main()
