# apt_install PACKAGE ...: installs Debian packages (as root, or through sudo).
apt_install() {
    [ "$#" -eq 0 ] && return 0
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "installing $* (apt-get)" >&2
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >&2
}

# ensure_packages COMMAND:PACKAGE ...: installs each Debian package whose command is missing.
ensure_packages() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    apt_install "${missing[@]}"
}

# ensure_debian_packages PACKAGE ...: installs each Debian package that is not installed.
ensure_debian_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    apt_install "${missing[@]}"
}

# ensure_swift_build_packages: what building this package needs beyond Swift and what swift.org
# lists for it. swift-crypto compiles BoringSSL's C++ sources, whose standard headers (<memory>)
# come with libstdc++'s -dev package; swift.org's Debian 12 list names gcc but not g++, so a machine
# set up by it stops with "'memory' file not found" (seen by scripts/check-fresh-debian).
ensure_swift_build_packages() {
    compgen -G "/usr/include/c++/*/memory" >/dev/null || apt_install g++
}
