# Shared helpers for .ci/run and the parts in .ci/parts/ (sourced, not run).

step() { printf '\n=== %s\n' "$*"; }

# apt_need PKG...: installs Debian packages that are missing, running `apt-get update`
# once per CI run. A lock keeps parallel callers from racing on dpkg.
apt_need() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  (
    flock 9
    if [ ! -f /tmp/zego-token-ci-apt-updated ]; then
      apt-get update -q && touch /tmp/zego-token-ci-apt-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  ) 9>/tmp/zego-token-ci-apt.lock
}
