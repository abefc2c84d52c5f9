#!/bin/sh
# /usr/bin/hemlos-desktop: runs the program installed in /usr/lib/hemlos-desktop/. The path is
# found relative to this file, so an unpacked copy (dpkg-deb -x) runs from where it lies.
here=$(dirname "$(readlink -f "$0")")
exec "$here/../lib/hemlos-desktop/hemlos-desktop" "$@"
