# JupyterHub configuration for a class of the Twitch course on one server.
#
#   make class                      # a test class on 127.0.0.1 (tools/class_hub.py sets the
#                                   # TWITCH_CLASS_* variables below); see deploy/README.md
#   jupyterhub -f deploy/local/jupyterhub_config.py   # a real class: run as root, see README
#
# Two modes, chosen by TWITCH_CLASS_DIR:
# - set (make class, the tests, the load benchmark): test students without system accounts, homes
#   under $TWITCH_CLASS_DIR/home/<name>, per-user passwords from $TWITCH_CLASS_DIR/passwords.json,
#   everything on 127.0.0.1, the proxy started by tools/class_hub.py (so restarting the hub
#   does not cut the students' connections);
# - unset: a real class. Real system users (the hub runs as root and starts each student's
#   server as that user), the roster in TWITCH_CLASS_ROSTER (one username per line), login with
#   the system passwords (PAM) until you replace the authenticator with your institution's.
# noqa: F821 (get_config is injected by JupyterHub)
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from twitch_hub import ClassTestSpawner, CourseSpawner  # noqa: E402

c = get_config()  # noqa: F821

CLASS_DIR = os.environ.get("TWITCH_CLASS_DIR")
state = Path(CLASS_DIR) if CLASS_DIR else Path(os.environ.get("TWITCH_HUB_STATE",
                                                               "/srv/twitch-hub"))
state.mkdir(parents=True, exist_ok=True, mode=0o700)

# ---- where the hub listens, and its state (kept across restarts: logins and servers survive)
c.JupyterHub.bind_url = os.environ.get("TWITCH_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("TWITCH_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = False   # restarting the hub leaves students' servers running
c.JupyterHub.cleanup_proxy = False
if os.environ.get("CONFIGPROXY_AUTH_TOKEN"):
    # The proxy runs on its own (tools/class_hub.py, or a systemd unit): a hub restart keeps
    # every student's open notebook and kernel connection.
    c.ConfigurableHTTPProxy.should_start = False
    c.ConfigurableHTTPProxy.api_url = os.environ.get("TWITCH_PROXY_API_URL",
                                                     "http://127.0.0.1:8001")
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules/.bin/configurable-http-proxy")]

# ---- each student's server: the course in their own home, JupyterLab on START-HERE
c.JupyterHub.spawner_class = ClassTestSpawner if CLASS_DIR else CourseSpawner
c.Spawner.cmd = [sys.executable, str(HERE / "singleuser.py")]
c.Spawner.default_url = "/lab/tree/START-HERE.ipynb"
c.Spawner.start_timeout = 180          # under load (20 students at once on 2 cores)
c.Spawner.http_timeout = 180
c.Spawner.environment = {"TWITCH_AUTOSAVE_S": os.environ.get("TWITCH_AUTOSAVE_S", "30")}
if CLASS_DIR:
    c.ClassTestSpawner.home_dir_template = str(state / "home" / "{username}")
    # one class's cgroups never collide with another test class on the same machine
    c.ClassTestSpawner.cgroup_name_template = f"twitch-{state.name}-{{username}}"

# ---- resource limits per student, chosen from benchmarks/bench_class.py (deploy/README.md):
# a kernel that ran a lesson and moved its panel has an address space of about 1.4 GB (RSS 300 MB);
# 3 GiB leaves room for a second lesson's kernel objects but stops a runaway allocation.
c.Spawner.mem_limit = os.environ.get("TWITCH_MEM_LIMIT", "3G")
# One core at most on average per student, with a 0.1 s burst so a panel redraw is not throttled.
c.Spawner.cpu_limit = float(os.environ.get("TWITCH_CPU_LIMIT", "1.0"))

# ---- who may log in: never an open server
if CLASS_DIR:
    from twitch_hub import ClassPasswordAuthenticator, read_password_file

    c.JupyterHub.authenticator_class = ClassPasswordAuthenticator
    c.ClassPasswordAuthenticator.password_file = str(state / "passwords.json")
    users = set(read_password_file(state / "passwords.json"))
    c.Authenticator.allowed_users = users
    c.Authenticator.admin_users = {u for u in users if u.startswith("instructor")}
else:
    # INSTRUCTOR: replace PAM with your institution's login, e.g. (pip install oauthenticator)
    #   c.JupyterHub.authenticator_class = "generic-oauth"    # or "azuread", "google", "github"
    #   c.GenericOAuthenticator.client_id = ...; client_secret = ...; oauth_callback_url = ...
    # or LDAP (pip install jupyterhub-ldapauthenticator). Keep allowed_users (the roster).
    c.JupyterHub.authenticator_class = "pam"
    roster = Path(os.environ.get("TWITCH_CLASS_ROSTER", state / "roster.txt"))
    c.Authenticator.allowed_users = {line.strip() for line in roster.read_text().splitlines()
                                     if line.strip() and not line.startswith("#")}
    c.Authenticator.admin_users = set(os.environ.get("TWITCH_ADMINS", "").split()) or set()

# ---- idle culling: a server nobody used for an hour is stopped (its files stay in the home)
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={os.environ.get('TWITCH_CULL_TIMEOUT_S', '3600')}",
                f"--cull-every={os.environ.get('TWITCH_CULL_EVERY_S', '300')}"],
}]
if os.environ.get("TWITCH_CLASS_ADMIN_TOKEN"):
    # tools/class_hub.py's own token (fresh each run): stops every server when the class ends;
    # the load benchmark and the tests read the students' servers through it.
    c.JupyterHub.services.append({"name": "class-admin",
                                  "api_token": os.environ["TWITCH_CLASS_ADMIN_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "class-admin", "scopes": ["admin:users",
                                    "admin:servers", "list:users", "read:users"],
                                    "services": ["class-admin"]})
