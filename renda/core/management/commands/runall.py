"""Start the web server, the task worker and the scheduler together; Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run web server + task worker (django-tasks-db) + scheduler (django-crontask) together."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr: str, **options):
        manage = [sys.executable, "manage.py"]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        procs = {
            "web": subprocess.Popen([*manage, "runserver", addr, "--noreload"], env=env),
            "worker": subprocess.Popen([*manage, "db_worker"], env=env),
            "scheduler": subprocess.Popen([*manage, "crontask"], env=env),
        }
        self.stdout.write(self.style.SUCCESS(f"智慧人大已启动： http://{addr}/  （按 Ctrl-C 停止）"))

        def stop(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while True:
                for name, p in procs.items():
                    if p.poll() is not None:
                        self.stderr.write(f"{name} exited with {p.returncode}; stopping the others.")
                        raise KeyboardInterrupt
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs.values():
                if p.poll() is None:
                    p.send_signal(signal.SIGINT)
            deadline = time.time() + 10
            for p in procs.values():
                try:
                    p.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    p.kill()
            self.stdout.write("已停止。")
