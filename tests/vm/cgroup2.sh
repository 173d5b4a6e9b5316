#!/usr/bin/env bash
# ale's box on a cgroup v2 machine, tested in a virtual machine: this
# project's machines mount the memory, pids and cpu controllers as cgroup v1,
# most users' machines as cgroup v2. The script boots Debian's cloud kernel
# under qemu (software emulation; no KVM needed) with an initramfs holding
# ale, bubblewrap, busybox and a few fixture solutions, mounts cgroup v2 as
# systemd does (nsdelegate, the controllers enabled at the root), runs ale
# there as root, and checks the verdicts and figures it reports.
# Usage: bash tests/vm/cgroup2.sh   (as root; installs qemu, busybox, cpio)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$root/target/vm-cgroup2
rm -rf "$work"
mkdir -p "$work/image"

need() { command -v "$1" >/dev/null || { apt-get install -y --no-install-recommends "$2" >/dev/null; }; }
need qemu-system-x86_64 qemu-system-x86
need cpio cpio
need bwrap bubblewrap
[ -x /bin/busybox ] || apt-get install -y --no-install-recommends busybox-static >/dev/null

# The kernel: Debian's cloud image kernel (virtio and cgroup v2 built in).
(cd "$work" && apt-get download linux-image-cloud-amd64 >/dev/null 2>&1 &&
  kernel_pkg=$(dpkg-deb -f linux-image-cloud-amd64_*.deb Depends | sed 's/ (.*//') &&
  apt-get download "$kernel_pkg" >/dev/null 2>&1 &&
  dpkg-deb -x "$kernel_pkg"_*.deb kernel)
vmlinuz=$(ls "$work"/kernel/boot/vmlinuz-*)

cargo build --quiet
img=$work/image
mkdir -p "$img"/usr/bin "$img"/usr/lib/x86_64-linux-gnu "$img"/usr/lib64 "$img"/etc "$img"/mnt "$img"/problems/tsp
for top in bin sbin lib lib64; do ln -s "usr/$top" "$img/$top"; done
mkdir -p "$img"/usr/sbin
cp /bin/busybox "$img/usr/bin/"
for applet in sh mount umount poweroff mkdir cat echo ls grep cp ln touch switch_root env chown; do
  ln -sf busybox "$img/usr/bin/$applet"
done
cp "$(command -v bwrap)" "$(command -v setpriv)" /usr/bin/true "$root/target/debug/ale" "$img/usr/bin/"
for f in tsp_identity attack_tmpfs_heap attack_threads attack_tmpfs attack_privileges; do
  rustc -O --edition 2021 "$root/tests/solutions/$f.rs" -o "$img/usr/bin/$f"
done
for b in "$img"/usr/bin/*; do { ldd "$b" 2>/dev/null || true; } | awk '/=>/{print $3} /ld-linux/{print $1}'; done | sort -u |
  while read -r lib; do
    case $lib in
      /lib64/*) cp -L "$lib" "$img/usr/lib64/" ;;
      *) cp -L "$lib" "$img/usr/lib/x86_64-linux-gnu/" ;;
    esac
  done
cp /etc/ld.so.cache "$img/etc/" 2>/dev/null || true
# tsp with a long time limit, so that memory, not the emulated CPU's speed, decides.
sed -e 's/^time_limit_ms = .*/time_limit_ms = 60000/' -e 's/^memory_limit_mb = .*/memory_limit_mb = 1024/' \
  "$root/problems/tsp/problem.toml" | sed 's/^id = .*/id = "slowtsp"/' > "$img/problems/tsp/problem.toml"
mv "$img/problems/tsp" "$img/problems/slowtsp"
echo "# slowtsp" > "$img/problems/slowtsp/statement.md"

cat > "$img/init" <<'INIT'
#!/bin/sh
# An initramfs cannot be pivot_root's old root (bubblewrap's): into a tmpfs first.
if [ ! -e /.moved ]; then
  mount -t tmpfs -o size=1g newroot /mnt
  cp -a /usr /etc /problems /init /mnt/
  cp -a /bin /sbin /lib /lib64 /mnt/
  cd /mnt
  mkdir -p proc sys dev tmp run root mnt && touch .moved
  exec switch_root /mnt /init
fi
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mount -t cgroup2 -o nsdelegate none /sys/fs/cgroup
echo "+memory +pids +cpu" > /sys/fs/cgroup/cgroup.subtree_control
export ALE_HOME=/tmp/ale PATH=/usr/bin ALE_REQUIRE_SANDBOX=1
cd /tmp
ale doctor > doctor.txt 2>&1
ale run tsp /usr/bin/tsp_identity --seeds 0..3 --json > identity.json 2>&1
ale --problems-dir /problems run slowtsp /usr/bin/attack_tmpfs_heap --seeds 0..1 --json > heap.json 2>&1
ale run tsp /usr/bin/attack_threads --seeds 0..1 --json > threads.json 2>&1
ale --problems-dir /problems run slowtsp /usr/bin/attack_tmpfs --seeds 0..1 --json > tmpfs.json 2>&1
ale run tsp /usr/bin/attack_privileges --seeds 0..1 --json --out priv > privileges.json 2>&1
# An ordinary user (uid 1000) in a cgroup delegated to it, as systemd's
# Delegate=yes makes one: ale moves itself into a leaf and makes its workers beside it.
mkdir /tmp/u && chown 1000:1000 /tmp/u
as_user() { # CGROUP COMMAND...: run as uid 1000 in a new cgroup delegated to it
  cg=/sys/fs/cgroup/$1; shift
  mkdir "$cg"
  for f in "" /cgroup.procs /cgroup.subtree_control /cgroup.threads; do chown 1000:1000 "$cg$f"; done
  sh -c 'echo $$ > "$0/cgroup.procs" && exec /usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups "$@"' "$cg" env ALE_HOME=/tmp/u "$@"
}
as_user user1 ale doctor > doctor_user.txt 2>&1
as_user user2 ale --problems-dir /problems run slowtsp /usr/bin/attack_tmpfs_heap --seeds 0..1 --json > heap_user.json 2>&1
ls /sys/fs/cgroup | grep '^ale-' > left.txt
ls /sys/fs/cgroup/user1 /sys/fs/cgroup/user2 | grep '^ale-.*-[0-9]*$' >> left.txt
for f in doctor.txt identity.json heap.json threads.json tmpfs.json privileges.json priv/0000.stderr doctor_user.txt heap_user.json left.txt; do
  echo "=== $f"; cat "$f"
done
echo "=== end"
poweroff -f
INIT
chmod +x "$img/init"
(cd "$img" && find . | cpio -o -H newc 2>/dev/null | gzip -1 > "$work/initramfs.gz")

timeout 900 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 3072 -kernel "$vmlinuz" \
  -initrd "$work/initramfs.gz" -append "console=ttyS0 rdinit=/init quiet panic=-1" \
  -nographic -no-reboot > "$work/console.txt" 2>&1 || true
out=$work/console.txt
section() { tr -d '\r' < "$out" | awk -v s="=== $1" '$0==s{on=1;next} /^=== /{on=0} on'; }

failed=0
check() { # what, condition (a command)
  if eval "$2"; then echo "ok    $1"; else echo "FAIL  $1"; failed=1; fi
}
check "the VM ran to the end" "grep -q '^=== end' $out"
check "doctor: the box and cgroup v2 are in force" \
  "section doctor.txt | grep -q '^box test *on' && section doctor.txt | grep -q '^measurement *on *cgroup v2'"
check "identity: 3 cases accepted" "[ \$(section identity.json | grep -c '\"verdict\": \"AC\"') = 3 ]"
check "240 MiB in its folder and 850 MiB of heap under 1024 MiB: MLE" \
  "section heap.json | grep -q '\"verdict\": \"MLE\"'"
check "the MLE's peak counts the folder's pages (over 1 GiB)" \
  "[ \$(section heap.json | grep -m1 '\"memory_kb\"' | tr -dc 0-9) -gt 1048576 ]"
check "four threads for 1.9 s under 2 s: TLE on CPU time" \
  "section threads.json | grep -q '\"verdict\": \"TLE\"'"
check "1.2 GiB into its folder: OLE at the folder's cap" \
  "section tmpfs.json | grep -q '\"verdict\": \"OLE\"'"
check "no privilege learned" "! section priv/0000.stderr | grep -q 'LEARNED:' && section priv/0000.stderr | grep -q 'BLOCKED:'"
check "an ordinary user with a delegated cgroup: the box and cgroup v2 in force" \
  "section doctor_user.txt | grep -q '^box test *on' && section doctor_user.txt | grep -q '^measurement *on *cgroup v2'"
check "an ordinary user's case: the folder's pages count, MLE over 1 GiB" \
  "section heap_user.json | grep -q '\"verdict\": \"MLE\"' && [ \$(section heap_user.json | grep -m1 '\"memory_kb\"' | tr -dc 0-9) -gt 1048576 ]"
check "no worker cgroup left behind" "[ -z \"\$(section left.txt)\" ]"
if [ $failed = 1 ]; then
  echo "console: $out"
  exit 1
fi
