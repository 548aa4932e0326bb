"""Reading a lanes_record trace back: lanes, state slices, shares, overlaps."""
import json


def load(path):
    with open(path) as f:
        return json.load(f)


def lanes(trace):
    """{(pid, tid): {"name", "kind", "process"}} from the metadata events."""
    procs = {e["pid"]: e["args"]["name"] for e in trace["traceEvents"]
             if e["ph"] == "M" and e["name"] == "process_name"}
    out = {}
    for e in trace["traceEvents"]:
        if e["ph"] == "M" and e["name"] == "thread_name":
            out[(e["pid"], e["tid"])] = {"name": e["args"]["name"], "kind": e["args"]["kind"],
                                         "process": procs.get(e["pid"])}
    return out


def states(trace, lane, name=None):
    """The lane's state slices as (state, start, end), sorted."""
    pid, tid = lane
    return sorted(((e["name"], e["ts"], e["ts"] + e["dur"]) for e in trace["traceEvents"]
                  if e["ph"] == "X" and e.get("cat") == "lanes" and e["pid"] == pid and e["tid"] == tid
                  and (name is None or e["name"] == name)), key=lambda s: (s[1], s[2]))


def calls(trace, lane=None, cat=None):
    return [e for e in trace["traceEvents"] if e["ph"] == "X" and e.get("cat", "").startswith("python")
            and (lane is None or (e["pid"], e["tid"]) == lane) and (cat is None or e["cat"] == cat)]


def total(slices):
    return sum(b - a for _, a, b in slices)


def overlap(xs, ys):
    """Time during which a slice of xs and a slice of ys both hold."""
    got, j = 0.0, 0
    for _, a, b in xs:
        for _, c, d in ys:
            lo, hi = max(a, c), min(b, d)
            if hi > lo:
                got += hi - lo
    return got


def lane_named(trace, prefix):
    return sorted(k for k, v in lanes(trace).items() if v["name"].startswith(prefix))
