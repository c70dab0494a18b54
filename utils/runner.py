"""How to run a dsc executable on this host (shared by the utils scripts)."""
import os

EM_AARCH64 = 183  # e_machine of an AArch64 ELF


def runner_for(executable):
    """The command prefix that runs `executable`: qemu-aarch64 (with the
    cross sysroot) for an AArch64 ELF on another host, else nothing."""
    with open(executable, "rb") as f:
        header = f.read(20)
    if len(header) > 18 and header[18] == EM_AARCH64 and os.uname().machine != "aarch64":
        return ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]
    return []
