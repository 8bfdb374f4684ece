#!/usr/bin/env bash
# Runs a shell script as root inside a throw-away virtual machine whose root file system is this
# machine's own (shared read-write over 9p), with Debian's kernel and its vfat and loop modules
# loaded: for the tests that need a kernel file system this machine's kernel does not have (the
# zip written onto a mounted FAT USB stick).
#
# Usage: scripts/in-vm.sh SCRIPT      (SCRIPT is a path on this machine; its exit status is ours)
# Needs root, qemu-system-x86, linux-image-amd64, busybox-static, cpio, kmod.
set -euo pipefail

script=$(readlink -f "${1:?usage: $0 SCRIPT}")
# Debian's generic kernel (linux-image-amd64): the cloud and real-time flavours lack modules.
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | grep -v -e -cloud- -e -rt- | sort -V | tail -n 1)
[ -n "$kernel" ] || { echo "in-vm: no kernel in /boot (apt-get install linux-image-amd64)" >&2; exit 125; }
version=${kernel#/boot/vmlinuz-}
busybox=$(command -v busybox) || { echo "in-vm: no busybox (apt-get install busybox-static)" >&2; exit 125; }

work=$(mktemp -d)
trap '[ -n "${IW_VM_KEEP:-}" ] || rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/modules" "$work/root/proc" "$work/root/sys" "$work/root/dev" "$work/root/host"
cp "$busybox" "$work/root/bin/busybox"
# The modules in the order modprobe would load them, dependencies first.
for module in virtio_pci 9pnet_virtio 9p loop vfat nls_cp437 nls_iso8859_1 nls_utf8 nls_ascii; do
  modprobe -S "$version" --show-depends "$module" > "$work/depends" \
    || { echo "in-vm: kernel $version has no module $module" >&2; exit 125; }
  awk '$1 == "insmod" { print $2 }' "$work/depends"
done | awk '!seen[$0]++' > "$work/order"
while read -r path; do
  case "$path" in
    *.ko) cp "$path" "$work/root/modules/" ;;
    *.ko.xz) xz -dc "$path" > "$work/root/modules/$(basename "${path%.xz}")" ;;
    *.ko.zst) zstd -qdc "$path" > "$work/root/modules/$(basename "${path%.zst}")" ;;
  esac
  basename "${path%.xz}" | sed 's/\.zst$//' >> "$work/root/modules.order"
done < "$work/order"

cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for module in $(cat /modules.order); do insmod "/modules/$module" || echo "in-vm: insmod $module failed"; done
status=125
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,rw hostroot /host; then
  mount -t proc proc /host/proc
  mount -t sysfs sys /host/sys
  mount -t devtmpfs dev /host/dev
  mount -t devpts devpts /host/dev/pts 2>/dev/null
  chroot /host /bin/sh -c 'cd / && exec /bin/sh "$0"' "$iwscript" </dev/null
  status=$?
  echo "$status" > "/host$iwstatus"
  sync
  umount /host/dev/pts /host/dev /host/sys /host/proc 2>/dev/null
  umount /host
fi
echo "in-vm: exit $status"
poweroff -f
INIT
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd"

status_file="$work/status"
# Emulated by default: it boots in about ten seconds, and KVM nested in this class of machine
# accepts a virtual machine and then never runs it. IW_VM_ACCEL=kvm where KVM really works.
accel=(-accel tcg)
[ "${IW_VM_ACCEL:-tcg}" != kvm ] || accel=(-accel kvm -cpu host)
vm_status=0
timeout "${IW_VM_TIMEOUT:-300}" qemu-system-x86_64 "${accel[@]}" -m 512 -smp 1 -nographic -no-reboot -nodefaults \
  -serial file:"$work/console" -monitor none \
  -kernel "$kernel" -initrd "$work/initrd" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 iwscript=$script iwstatus=$status_file" \
  -fsdev local,id=hostroot,path=/,security_model=passthrough,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot </dev/null >/dev/null || vm_status=$?
if [ ! -s "$status_file" ]; then
  echo "in-vm: the machine ended (status $vm_status) without the script's status; its console:" >&2
  tail -n 30 "$work/console" >&2
  exit 125
fi
exit "$(cat "$status_file")"
