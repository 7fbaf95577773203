"""Remote side of Q Dataset Studio's bootstrap runs.

Shipped to the training host by the TypeScript transports
(server/src/bootstrap/remote/) and run from a venv built by prepare_env.sh.
Entry points:
  python -m qds_remote.check_host          host facts as JSON (stdlib only)
  python -m qds_remote.run JOB_DIR         run the job described by JOB_DIR/job.json
  python -m qds_remote.testing build OUT   a tiny Qwen3 model for tests
"""
