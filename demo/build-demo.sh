#!/usr/bin/env bash
# Regenerates demo/images, demo/queries and demo/licenses from Debian packages.
#
# Usage: demo/build-demo.sh      (Debian or Ubuntu; installs the packages below when missing)
#
# Every output is a pure function of the installed package versions: files are picked by sorted
# name, never at random, and PNG time chunks are left out, so a rebuild on the same package versions
# gives the same bytes. demo/LICENSES.md lists the versions the committed files came from.
#
# Licence rule: only Creative Commons (CC BY, CC BY-SA, CC0) images are scaled down and re-encoded.
# GPL images are copied byte for byte, so every shipped GPL file is its own source; GPL images that
# could only be shipped modified are left out. Queries are made only from CC images or from GPL
# images whose unmodified original is in demo/images.
set -euo pipefail

demo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
packages=(gnome-backgrounds tuxpaint-stamps-default lomiri-wallpapers-16.04 lomiri-wallpapers-20.04
  imagemagick fonts-dejavu-core)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

images="$demo/images"
queries="$demo/queries"
rm -rf "$images" "$queries"/*.jpg "$queries"/*.png "$queries"/expected.csv
mkdir -p "$images" "$queries" "$demo/licenses"
export LC_ALL=C.UTF-8

# Creative Commons images only. -strip drops EXIF and colour profiles; the PNG define keeps
# timestamps out so rebuilds are byte-identical. 4:2:0 chroma keeps photos around 100-300 KB; photos
# other than GNOME's get 1024 px rather than 1280 px so the whole demo stays well under 20 MB.
photo() { # source title output-base [long-side, default 1024]
  convert "$1[0]" -auto-orient -resize "${4:-1024}x${4:-1024}>" -strip -sampling-factor 4:2:0 -quality 85 \
    "$images/$3.jpg"
  printf '%s\n' "$2" >"$images/$3.txt"
}

# --- gnome-backgrounds: the large WEBPs under CC BY-SA 3.0 (Jakub Steiner, named in the package's
# AUTHORS file). vnc-*.webp are 256 px plain colour; licorice-* and truchet-* are not in AUTHORS and
# fall under the package's GPL-2+, so they are left out (we would only ship them scaled down).
for xml in /usr/share/gnome-background-properties/*.xml; do
  name=$(sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$xml" | head -1)
  light=$(sed -n 's:.*<filename>\(.*\)</filename>.*:\1:p' "$xml" | head -1)
  dark=$(sed -n 's:.*<filename-dark>\(.*\)</filename-dark>.*:\1:p' "$xml" | head -1)
  for f in "$light" "$dark"; do
    case "$f" in *.webp) ;; *) continue ;; esac
    base=$(basename "$f" .webp)
    case "$base" in vnc-* | licorice-* | truchet-*) continue ;; esac
    case "$base" in *-d) variant=dark ;; *) variant=light ;; esac
    photo "$f" "$name ($variant), GNOME background" "gnome-$base" 1280
  done
done

# --- lomiri-wallpapers: photographs named <title>_by_<author>.jpg; from 20.04 only Kleiber is used
# (Infinite-Sea is held back as the query that is not in the collection; Fossa and Painting-Colors
# are abstract art).
for f in $(dpkg -L lomiri-wallpapers-16.04 | grep -E '_by_.*\.jpg$' | sort) \
  /usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg; do
  base=$(basename "$f" .jpg)
  what=${base%%_by_*}
  who=${base#*_by_}
  what=${what//_/ }
  who=${who//_/ }
  title="${what^} by ${who}"
  out="lomiri-$(tr 'A-Z' 'a-z' <<<"$what" | tr ' ' '-')"
  photo "$f" "$title" "$out"
done

# --- tuxpaint-stamps-default (GPL-2+): up to 7 stamps per category, evenly spaced through the
# sorted list so each category shows some variety; only stamps with a description, never the
# *_mirror copies. Copied unmodified (no resize, no strip): the shipped file is its own source.
stamps=/usr/share/tuxpaint/stamps
for category in $(ls "$stamps" | sort); do
  mapfile -t candidates < <(find "$stamps/$category" -name '*.png' ! -name '*_mirror.png' | sort \
    | while read -r p; do [ -f "${p%.png}.txt" ] && echo "$p"; done)
  n=${#candidates[@]}
  [ "$n" -gt 0 ] || continue
  take=$((n < 7 ? n : 7))
  for ((i = 0; i < take; i++)); do
    p=${candidates[$((i * n / take))]}
    base=$(basename "$p" .png)
    out="stamp-$category-$(tr 'A-Z_' 'a-z-' <<<"$base")"
    # The first line is the English description; strip tags and surrounding space.
    title=$(head -1 "${p%.png}.txt" | sed -e 's/<[^>]*>//g' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/\r$//')
    cp "$p" "$images/$out.png"
    printf '%s\n' "$title" >"$images/$out.txt"
  done
done

# --- JSON sidecars for a few images, to show the page_url field.
json() { # output-base page-url
  local title
  title=$(sed 's/\\/\\\\/g; s/"/\\"/g' "$images/$1.txt")
  printf '{"title": "%s", "page_url": "%s"}\n' "$title" "$2" >"$images/$1.json"
}
json lomiri-bridge https://gitlab.com/ubports/development/core/lomiri-wallpapers
json lomiri-seeding https://gitlab.com/ubports/development/core/lomiri-wallpapers
json gnome-adwaita-l https://gitlab.gnome.org/GNOME/gnome-backgrounds
json lomiri-kleiber https://gitlab.com/ubports/development/core/lomiri-wallpapers
json "$(basename "$(ls "$images"/stamp-animals-*.png | head -1)" .png)" https://tuxpaint.org/

# --- queries: edited copies of collection images, and one image that is not in the collection.
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
q() { convert "${@:1:$#-1}" -strip -define png:exclude-chunks=date,time "${@: -1}"; }
echo "query,expected,match" >"$queries/expected.csv"
q "$images/lomiri-bridge.jpg" -resize 50% -quality 60 "$queries/resized-bridge.jpg"
echo "resized-bridge.jpg,lomiri-bridge.jpg,near_duplicate" >>"$queries/expected.csv"
q "$images/lomiri-kleiber.jpg" -flop -quality 90 "$queries/mirrored-kleiber.jpg"
echo "mirrored-kleiber.jpg,lomiri-kleiber.jpg,near_duplicate" >>"$queries/expected.csv"
# Caption band: an opaque dark band over the bottom 20% with white text, like a meme or a news still.
read -r w h < <(identify -format '%w %h\n' "$images/lomiri-picosdeeuropa.jpg")
band=$((h / 5))
q "$images/lomiri-picosdeeuropa.jpg" -fill '#202020' -draw "rectangle 0,$((h - band)) $w,$h" \
  -font "$font" -pointsize $((band / 3)) -fill white -gravity south -annotate +0+$((band / 3)) \
  'Hiking in the mountains' -quality 90 "$queries/caption-picosdeeuropa.jpg"
echo "caption-picosdeeuropa.jpg,lomiri-picosdeeuropa.jpg,near_duplicate" >>"$queries/expected.csv"
# A corner keeping 30% of the area (55% of each side), halved: only keypoints can find it.
q "$images/lomiri-dragonfly.jpg" -gravity northwest -crop 55%x55%+0+0 +repage -resize 50% -quality 85 \
  "$queries/crop-corner-dragonfly.jpg"
echo "crop-corner-dragonfly.jpg,lomiri-dragonfly.jpg,partial" >>"$queries/expected.csv"
# Turned 30 degrees clockwise on a grey canvas that holds the whole picture.
q "$images/lomiri-aitzgorri.jpg" -background '#808080' -rotate 30 -quality 90 "$queries/rotated-aitzgorri.jpg"
echo "rotated-aitzgorri.jpg,lomiri-aitzgorri.jpg,near_duplicate" >>"$queries/expected.csv"
read -r w h < <(identify -format '%w %h\n' "$images/lomiri-sunset.jpg")
q "$images/lomiri-sunset.jpg" -bordercolor '#3a7bd5' -border "$((w * 15 / 100))x$((h * 15 / 100))" \
  -quality 90 "$queries/border-sunset.jpg"
echo "border-sunset.jpg,lomiri-sunset.jpg,near_duplicate" >>"$queries/expected.csv"
q "$images/lomiri-picture-1a.jpg" -colorspace Gray -quality 90 "$queries/grayscale-picture-1a.jpg"
echo "grayscale-picture-1a.jpg,lomiri-picture-1a.jpg,near_duplicate" >>"$queries/expected.csv"
# The stamp's unmodified original is in demo/images, so this GPL-2+ adaptation ships with its source.
stamp=$(ls "$images"/stamp-food-*.png | head -1)
q "$stamp" -background white -flatten -resize 150% -quality 80 "$queries/flattened-$(basename "$stamp" .png).jpg"
echo "flattened-$(basename "$stamp" .png).jpg,$(basename "$stamp"),near_duplicate" >>"$queries/expected.csv"
# Infinite-Sea (CC BY-SA 3.0, lomiri-wallpapers-20.04) is deliberately not in demo/images.
q /usr/share/backgrounds/Infinite-Sea_by_Aury88.jpg -resize '1024x1024>' -sampling-factor 4:2:0 -quality 85 \
  "$queries/not-in-collection-infinite-sea.jpg"
echo "not-in-collection-infinite-sea.jpg,," >>"$queries/expected.csv"

# --- license texts the licenses ask to ship with the files (see LICENSES.md).
rm -f "$demo/licenses"/*.txt
cp /usr/share/common-licenses/GPL-2 "$demo/licenses/GPL-2.txt"
cp /usr/share/common-licenses/CC0-1.0 "$demo/licenses/CC0-1.0.txt" 2>/dev/null || true
# The Creative Commons texts come from the packages' own copyright files, where they are the
# indented body of the "License: <name>" paragraph (Debian copyright format 1.0).
cc_text() { # copyright-file license-name output
  awk -v name="$2" '
    # Only the stand-alone paragraph holds the text: it follows a blank line.
    $0 == "License: " name && prev == "" { on = 1; next }
    on && /^[^ ]/ { exit }
    { prev = $0 }
    on { sub(/^ /, ""); if ($0 == ".") $0 = ""; print }' "$1" >"$3"
  [ -s "$3" ] || { echo "no $2 text in $1" >&2; exit 1; }
}
lomiri=/usr/share/doc/lomiri-wallpapers-16.04/copyright
cc_text "$lomiri" CC-BY-4.0 "$demo/licenses/CC-BY-4.0.txt"
cc_text "$lomiri" CC-BY-SA-4.0 "$demo/licenses/CC-BY-SA-4.0.txt"
cc_text "$lomiri" CC-BY-SA-3.0 "$demo/licenses/CC-BY-SA-3.0.txt"
[ -s "$demo/licenses/CC0-1.0.txt" ] || cc_text "$lomiri" CC0-1.0 "$demo/licenses/CC0-1.0.txt"

echo "demo: $(ls "$images" | grep -cE '\.(jpg|png)$') images, $(ls "$queries" | grep -cE '\.(jpg|png)$') queries, $(du -sh "$demo" | cut -f1)" >&2
