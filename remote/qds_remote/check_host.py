"""Host facts as one JSON object (HostReport in types.ts): python, CPUs,
GPUs from nvidia-smi (model, memory, driver), free disk where the remote
root lives, and the versions of the packages the remote scripts use.

Standard library only: it runs with the host's own python3, before any venv
exists. Usage: python3 -m qds_remote.check_host [PATH_FOR_DISK]
"""

import json
import os
import platform
import shutil
import socket
import subprocess
import sys

PACKAGES = ("torch", "transformers", "trl", "peft", "vllm")


def gpus():
    """(list of GPUs, error text or None) from nvidia-smi."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return [], "nvidia-smi not found on PATH"
    try:
        out = subprocess.run(
            [exe, "--query-gpu=index,name,memory.total,driver_version", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return [], f"nvidia-smi failed: {e}"
    if out.returncode != 0:
        return [], f"nvidia-smi exited with {out.returncode}: {(out.stderr or out.stdout).strip()[:300]}"
    found = []
    for line in out.stdout.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 4:
            continue
        index, name, memory, driver = parts
        found.append({"index": int(index), "name": name, "memory_mib": int(float(memory)), "driver": driver})
    return found, None


def package_version(name):
    try:
        from importlib import metadata

        return metadata.version(name)
    except Exception:  # not installed, or metadata unreadable: either way unusable
        return None


def report(disk_path):
    found, error = gpus()
    usage = shutil.disk_usage(disk_path)
    return {
        "hostname": socket.gethostname(),
        "python": {"executable": sys.executable, "version": platform.python_version()},
        "cpus": os.cpu_count() or 1,
        "gpus": found,
        "gpu_error": error,
        "disk": {"path": os.path.abspath(disk_path), "free_bytes": usage.free, "total_bytes": usage.total},
        "packages": {name: package_version(name) for name in PACKAGES},
    }


if __name__ == "__main__":
    print(json.dumps(report(sys.argv[1] if len(sys.argv) > 1 else ".")))
