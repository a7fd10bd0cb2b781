#!/usr/bin/env bash
# Installs the Debian packages the dev sets are made from, builds the bench module and runs the
# dev set builder. Extra arguments go to the builder, for example --seed 7 or --out ../devset-copy.
# With --likeness first, builds the likeness dev set instead (bench/data/likeness); with "simple"
# first, the simple-graphics set (bench/data/simple, SimpleSetBuilder). See docs/devset.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/jdk.sh"

# Keep in sync with DevSetSources.PACKAGES and LikenessSources.EXTRA_PACKAGES (the likeness set).
packages=(gnome-backgrounds lomiri-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04
  mate-backgrounds plasma-workspace-wallpapers ukui-wallpapers tuxpaint-stamps-default tuxpaint-data
  sway-backgrounds)
# The likeness and simple-graphics sets; keep in sync with SimpleSetBuilder.PACKAGES.
packages+=(iso-flags-png-320x240 adwaita-icon-theme)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fetch-data: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cd "$root"
mvn -q -B -DskipTests -pl bench -am package
builder=dev.loupe.bench.DevSetBuilder
if [ "${1:-}" = --likeness ]; then
  shift
  builder=dev.loupe.bench.LikenessSetBuilder
elif [ "${1:-}" = simple ]; then
  builder=dev.loupe.bench.SimpleSetBuilder
  shift
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -Djava.awt.headless=true \
  -cp "bench/target/loupe-bench.jar:bench/target/lib/*" "$builder" "$@"
