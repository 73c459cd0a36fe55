"""Which shared libraries the sandbox needs: the DT_NEEDED closure of the interpreter, its C
extension modules and the allowed packages' ones, read straight from their ELF headers (no
`ldd`, which would run each file's loader: 30 ms for a hundred files instead of 700).

The sandbox then binds exactly these files, not the system's library folder.
"""
from __future__ import annotations

import glob
import os
import struct
import sysconfig

PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NEEDED, DT_STRTAB, DT_RPATH, DT_RUNPATH = 1, 5, 15, 29


def elf_dependencies(path: str) -> tuple[list[str], list[str], str | None]:
    """(DT_NEEDED names, RPATH/RUNPATH folders with $ORIGIN expanded, PT_INTERP) of a 64-bit
    little-endian ELF file; nothing for anything else."""
    with open(path, "rb") as f:
        ident = f.read(64)
        if len(ident) < 64 or ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
            return [], [], None
        phoff, = struct.unpack_from("<Q", ident, 32)
        phentsize, phnum = struct.unpack_from("<HH", ident, 54)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
        loads, dynamic, interp = [], None, None
        for i in range(phnum):
            p_type, _, p_offset, p_vaddr, _, p_filesz, _, _ = struct.unpack_from(
                "<IIQQQQQQ", table, i * phentsize)
            if p_type == PT_LOAD:
                loads.append((p_vaddr, p_offset, p_filesz))
            elif p_type == PT_DYNAMIC:
                dynamic = (p_offset, p_filesz)
            elif p_type == PT_INTERP:
                f.seek(p_offset)
                interp = f.read(p_filesz).split(b"\0", 1)[0].decode()
        if dynamic is None:
            return [], [], interp
        f.seek(dynamic[0])
        data = f.read(dynamic[1])
        entries = [struct.unpack_from("<qQ", data, i) for i in range(0, len(data) - 15, 16)]
        strtab = next((v for tag, v in entries if tag == DT_STRTAB), None)
        base = next((strtab - va + fo for va, fo, size in loads
                     if strtab is not None and va <= strtab < va + size), None)
        if base is None:
            return [], [], interp

        def string(at: int) -> str:
            f.seek(base + at)
            return f.read(4096).split(b"\0", 1)[0].decode(errors="replace")

        origin = os.path.dirname(os.path.realpath(path))
        names = [string(v) for tag, v in entries if tag == DT_NEEDED]
        folders = [p.replace("$ORIGIN", origin).replace("${ORIGIN}", origin)
                   for tag, v in entries if tag in (DT_RPATH, DT_RUNPATH)
                   for p in string(v).split(":") if p]
        return names, folders, interp


def system_folders() -> list[str]:
    """Where the dynamic loader looks by default (its cache is not in the sandbox)."""
    arch = sysconfig.get_config_var("MULTIARCH") or ""
    folders = [f"/lib/{arch}", f"/usr/lib/{arch}"] if arch else []
    for conf in sorted(glob.glob("/etc/ld.so.conf.d/*.conf")):
        try:
            with open(conf) as f:
                folders += [ln.strip() for ln in f if ln.strip().startswith("/")]
        except OSError:
            continue
    return list(dict.fromkeys(folders + ["/lib64", "/usr/lib64", "/lib", "/usr/lib"]))


def closure(objects: list[str]) -> tuple[dict[str, str], set[str]]:
    """({path the loader finds it at: the real file} for every library the objects need,
    directly or not; the loaders named by PT_INTERP)."""
    system = system_folders()
    found: dict[str, str] = {}
    loaders: set[str] = set()
    todo, seen = list(objects), set()
    while todo:
        obj = todo.pop()
        real = os.path.realpath(obj)
        if real in seen or not os.path.isfile(real):
            continue
        seen.add(real)
        try:
            names, folders, interp = elf_dependencies(real)
        except (OSError, struct.error, ValueError):
            continue
        if interp:
            loaders.add(interp)
        for name in names:
            for folder in folders + system:
                candidate = os.path.join(folder, name)
                if os.path.isfile(candidate):
                    if candidate not in found:        # else already queued: not again
                        found[candidate] = os.path.realpath(candidate)
                        todo.append(candidate)
                    break
    return found, loaders
