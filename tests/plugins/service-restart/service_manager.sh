#!/bin/bash
# A service manager for service-restart's tests, where no systemd runs: it
# keeps one real background process per service, the way an init script
# does, with a pidfile in STATE_DIR. The plugin runs it through its
# restart_command and status_command settings.
#
#   service_manager.sh STATE_DIR start|stop|restart|status NAME
#
# What a test can read or arrange in STATE_DIR:
#   NAME.pid       the service's process
#   NAME.restarts  one line per restart asked for: the time, in seconds
#   NAME.broken    present: every restart fails, as with a bad config file
set -u
state=$1 action=$2 name=$3
pidfile="$state/$name.pid"

# A process that has ended but was not yet reaped (a zombie) is not running.
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $stat != Z* ]]
}

running() { [[ -f $pidfile ]] && alive "$(cat "$pidfile")"; }

start() {
  running && return 0
  # A daemon: its own session (whoever ran us may kill our process group),
  # none of our output (the caller would wait on it), and an end of its own
  # should a test forget to stop it. Not a group leader here, so setsid
  # execs in place and $! is the service's PID.
  setsid sleep 120 </dev/null >/dev/null 2>&1 &
  echo $! >"$pidfile"
}

stop() {
  running || return 0
  local pid
  pid=$(cat "$pidfile")
  kill "$pid"
  while alive "$pid"; do sleep 0.01; done
  rm -f "$pidfile"
}

case $action in
  start) start ;;
  stop) stop ;;
  restart)
    date +%s.%N >>"$state/$name.restarts"
    if [[ -e $state/$name.broken ]]; then
      echo "$name: configuration file /etc/$name.conf test failed" >&2
      exit 1
    fi
    stop
    start
    ;;
  status)
    if running; then
      echo active
      exit 0
    fi
    echo inactive
    exit 3  # LSB: program is not running
    ;;
  *)
    echo "usage: $0 STATE_DIR start|stop|restart|status NAME" >&2
    exit 2
    ;;
esac
