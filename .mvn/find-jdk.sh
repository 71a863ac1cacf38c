# Sourced (POSIX sh) by ./mvnw, ./xenon and .ci/run: makes JAVA_HOME point at a JDK 21 or newer.
# Keeps a JAVA_HOME that is already new enough; otherwise tries the `java` on PATH, then the JDKs in
# the usual install folders, newest first. Fails with one clear line when there is none.

xenon_jdk_major() {
  # The major version of the JDK at $1 (0 when it is not a JDK).
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || { echo 0; return; }
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "${v:-0}"
}

xenon_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(xenon_jdk_major "$JAVA_HOME")" -ge 21 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if [ "$(xenon_jdk_major "$home")" -ge 21 ]; then echo "$home"; return 0; fi
  fi
  best=""; best_major=0
  for root in /usr/lib/jvm /usr/java /opt/java /opt "$HOME/.sdkman/candidates/java" "$HOME/.jdks" \
    /Library/Java/JavaVirtualMachines; do
    [ -d "$root" ] || continue
    for dir in $(ls "$root" 2>/dev/null); do
      for home in "$root/$dir" "$root/$dir/Contents/Home"; do
        major=$(xenon_jdk_major "$home")
        if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$home"; best_major=$major; fi
      done
    done
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}

if xenon_jdk_home=$(xenon_find_jdk); then
  JAVA_HOME="$xenon_jdk_home"
  export JAVA_HOME
else
  echo "xenon: no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}'); install one or point JAVA_HOME at it" >&2
  exit 1
fi
