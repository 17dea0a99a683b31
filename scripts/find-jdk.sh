# Sourced by ./troupe and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: JAVA_HOME if it qualifies; else the `java` on PATH (the JDK it belongs to, as the JVM itself
# reports it in java.home, so symlinks such as /usr/bin/java -> /etc/alternatives/... and macOS's
# /usr/bin stubs lead to the real JDK); else the usual install folders: macOS's
# `/usr/libexec/java_home -v 21+`, then the JDKs under /usr/lib/jvm (Linux packages),
# /Library/Java/JavaVirtualMachines (macOS installers), SDKMAN and asdf.
# TROUPE_JDK_SEARCH_DIRS (folders holding JDKs, separated by ':') replaces that list of install folders.

troupe_java_setting() {
  # Prints the JVM setting $2 (e.g. java.home) of the java binary $1, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 | sed -n "s/^ *$2 = //p" | head -n 1
}

troupe_is_jdk21() {
  # Succeeds when $1 is the home of a JDK (java and javac) whose feature version is 21 or newer.
  local major
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(troupe_java_setting "$1/bin/java" java.specification.version)
  major=${major%%.*}
  case "$major" in '' | *[!0-9]*) return 1 ;; esac
  [ "$major" -ge 21 ]
}

troupe_jdk_search_dirs() {
  if [ -n "${TROUPE_JDK_SEARCH_DIRS+set}" ]; then
    printf '%s\n' "$TROUPE_JDK_SEARCH_DIRS" | tr ':' '\n'
    return
  fi
  printf '%s\n' /usr/lib/jvm /Library/Java/JavaVirtualMachines \
    "${SDKMAN_CANDIDATES_DIR:-${SDKMAN_DIR:-${HOME:-}/.sdkman}/candidates}/java" \
    "${ASDF_DATA_DIR:-${HOME:-}/.asdf}/installs/java"
}

troupe_pick_jdk() {
  local candidate dir java_on_path
  if troupe_is_jdk21 "${JAVA_HOME:-}"; then
    export JAVA_HOME
    return 0
  fi
  if java_on_path=$(command -v java 2>/dev/null); then
    candidate=$(troupe_java_setting "$java_on_path" java.home)
    if troupe_is_jdk21 "$candidate"; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  if [ -z "${TROUPE_JDK_SEARCH_DIRS+set}" ] && [ -x /usr/libexec/java_home ]; then
    candidate=$(/usr/libexec/java_home -v 21+ 2>/dev/null || true)
    if troupe_is_jdk21 "$candidate"; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  while IFS= read -r dir; do
    [ -n "$dir" ] && [ -d "$dir" ] || continue
    for candidate in "$dir"/*; do
      # macOS bundles keep the JDK's home under Contents/Home.
      [ -d "$candidate/Contents/Home" ] && candidate="$candidate/Contents/Home"
      if troupe_is_jdk21 "$candidate"; then
        export JAVA_HOME="$candidate"
        return 0
      fi
    done
  done < <(troupe_jdk_search_dirs)
  dir=$(troupe_jdk_search_dirs | paste -sd ' ' -)
  echo "troupe: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; java on PATH: ${java_on_path:-none};" \
    "looked under ${dir:-no folder, TROUPE_JDK_SEARCH_DIRS being empty})." >&2
  echo "troupe: install one (e.g. Temurin 21 or 25) and point JAVA_HOME at it or put its bin folder on PATH." >&2
  return 1
}
