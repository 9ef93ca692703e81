/**
 * The files of HW12's scoring program (program/ of its bundle): Python 3, standard library only but
 * for the environment itself (gymnasium, with Box2D for LunarLander). Kept as text here so the
 * course pack, the CLI bundle and the tests carry them without a file of their own to find.
 *
 * - npy_actions.py reads and writes the upload: a .npy of integers, shape (episodes, steps), each
 *   list padded with -1 after its last action. Only the header's literal dict is parsed
 *   (ast.literal_eval), never a pickle: an object array is rejected, not loaded.
 * - cartpole_stand_in.py is a pure-Python cart-pole (the classic equations of Barto, Sutton and
 *   Anderson, 1983, with gymnasium's CartPole-v1 constants and limits); the test suite and servers
 *   without Box2D replay it through the same program.
 * - replay.py is the scoring program (the contract is in packages/scoring/src/score-program.ts).
 * - play.py makes an upload by playing a policy, each list ending exactly where its episode ends.
 */

const NPY_ACTIONS = String.raw`"""Reads and writes HW12 uploads: integer .npy arrays, one row per episode, padded with -1."""
import ast
import struct

MAGIC = b"\x93NUMPY"
MAX_BYTES = 8 * 1024 * 1024
INTEGER_TYPES = {"i1": "b", "u1": "B", "i2": "h", "u2": "H", "i4": "i", "u4": "I", "i8": "q", "u8": "Q"}


class Rejection(Exception):
    """The upload is not what the task asks for; the student is told why."""

    def __init__(self, code, message, line=None, column=None):
        super().__init__(message)
        self.code, self.message, self.line, self.column = code, message, line, column


def read_action_lists(path, episodes):
    """Returns one list of actions per episode (padding removed), or raises Rejection."""
    with open(path, "rb") as upload:
        data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Rejection("NPY_TOO_LARGE", "the file is larger than 8 MB; five action lists fit in far less")
    if data[:6] != MAGIC:
        raise Rejection("NPY_INVALID", "this is not a .npy file (save it with numpy.save)")
    major = data[6] if len(data) > 6 else 0
    if major == 1 and len(data) >= 10:
        header_length, start = struct.unpack("<H", data[8:10])[0], 10
    elif major in (2, 3) and len(data) >= 12:
        header_length, start = struct.unpack("<I", data[8:12])[0], 12
    else:
        raise Rejection("NPY_INVALID", "the .npy header is cut short or of an unknown version")
    try:
        header = ast.literal_eval(data[start:start + header_length].decode("latin1"))
    except (ValueError, SyntaxError, UnicodeDecodeError):
        raise Rejection("NPY_INVALID", "the .npy header is not readable")
    if not isinstance(header, dict) or not {"descr", "fortran_order", "shape"} <= header.keys():
        raise Rejection("NPY_INVALID", "the .npy header lacks descr, fortran_order or shape")
    descr, shape = header["descr"], header["shape"]
    kind = descr.lstrip("<>|=") if isinstance(descr, str) else ""
    if kind not in INTEGER_TYPES:
        found = "an object array (a pickle)" if kind.startswith("O") else "dtype %r" % (descr,)
        raise Rejection(
            "NPY_DTYPE",
            "the array is %s; save integer actions, e.g. numpy.save('Action_List.npy', numpy.array(lists, dtype=numpy.int64)) with every list padded with -1 to the same length" % found,
        )
    if header["fortran_order"]:
        raise Rejection("NPY_LAYOUT", "the array is in Fortran order; save numpy.ascontiguousarray(actions)")
    if not (isinstance(shape, tuple) and len(shape) == 2 and all(isinstance(n, int) for n in shape)):
        raise Rejection("ACTION_LIST_SHAPE", "the array has shape %r; expected (%d, steps): one row per episode" % (shape, episodes))
    if shape[0] != episodes:
        raise Rejection("ACTION_LIST_SHAPE", "the array has %d rows; expected %d, one per episode" % (shape[0], episodes))
    code = INTEGER_TYPES[kind]
    size = struct.calcsize(code)
    body = data[start + header_length:]
    if len(body) != shape[0] * shape[1] * size:
        raise Rejection("NPY_INVALID", "the file holds %d data bytes; its header announces %d" % (len(body), shape[0] * shape[1] * size))
    order = ">" if descr.startswith(">") else "<"
    values = struct.unpack("%s%d%s" % (order, shape[0] * shape[1], code), body)
    lists = []
    for row in range(shape[0]):
        cells = values[row * shape[1]:(row + 1) * shape[1]]
        length = next((i for i, value in enumerate(cells) if value == -1), len(cells))
        for column in range(length, len(cells)):
            if cells[column] != -1:
                raise Rejection(
                    "ACTION_LIST_PADDING",
                    "episode %d has the action %d after its padding; pad only at the end, with -1" % (row + 1, cells[column]),
                    line=row + 1, column=column + 1,
                )
        lists.append(list(cells[:length]))
    return lists


def write_action_lists(path, lists):
    """Writes lists of actions as int64 .npy, padded with -1 (numpy's version 1.0 layout)."""
    steps = max([len(actions) for actions in lists] + [1])
    header = "{'descr': '<i8', 'fortran_order': False, 'shape': (%d, %d), }" % (len(lists), steps)
    padding = 64 - (10 + len(header) + 1) % 64
    header = header + " " * padding + "\n"
    with open(path, "wb") as out:
        out.write(MAGIC + bytes([1, 0]) + struct.pack("<H", len(header)) + header.encode("latin1"))
        for actions in lists:
            out.write(struct.pack("<%dq" % steps, *(list(actions) + [-1] * (steps - len(actions)))))
`;

const CARTPOLE_STAND_IN = String.raw`"""A pure-Python cart-pole with gymnasium's CartPole-v1 constants and limits (500 steps).

The equations are those of Barto, Sutton and Anderson (1983); the start state is drawn from Python's
own seeded generator, so episodes are deterministic for a seed but are not gymnasium's episodes.
"""
import math
import random


class ActionSpace:
    def __init__(self, n):
        self.n = n


class CartPole:
    gravity, cart_mass, pole_mass, half_length, force, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    theta_limit, x_limit, max_steps = 12 * 2 * math.pi / 360, 2.4, 500

    def __init__(self):
        self.action_space = ActionSpace(2)
        self.rng = random.Random(0)
        self.state, self.steps = None, 0

    def reset(self, seed=None):
        if seed is not None:
            self.rng = random.Random(seed)
        self.state = [self.rng.uniform(-0.05, 0.05) for _ in range(4)]
        self.steps = 0
        return list(self.state), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force if action == 1 else -self.force
        total_mass = self.cart_mass + self.pole_mass
        pole_moment = self.pole_mass * self.half_length
        cos, sin = math.cos(theta), math.sin(theta)
        temp = (force + pole_moment * theta_dot ** 2 * sin) / total_mass
        theta_acc = (self.gravity * sin - cos * temp) / (
            self.half_length * (4.0 / 3.0 - self.pole_mass * cos ** 2 / total_mass)
        )
        x_acc = temp - pole_moment * theta_acc * cos / total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * x_acc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * theta_acc
        self.state = [x, x_dot, theta, theta_dot]
        self.steps += 1
        terminated = abs(x) > self.x_limit or abs(theta) > self.theta_limit
        truncated = not terminated and self.steps >= self.max_steps
        return list(self.state), 1.0, terminated, truncated, {}
`;

const ENVIRONMENTS = String.raw`"""The environment an episodes.json names: the pure-Python stand-in, or any gymnasium id."""
STAND_IN = "cartpole-stand-in"


def make(name):
    if name == STAND_IN:
        from cartpole_stand_in import CartPole
        return CartPole()
    import gymnasium
    return gymnasium.make(name)
`;

const REPLAY = String.raw`"""HW12 scoring program: replays each action list in its seeded episode; mean reward is the score.

Contract (mljudge): MLJUDGE_SUBMISSION is the upload, MLJUDGE_SPLITS the boards to score; one JSON
object on stdout. A list that ends before its episode does, or goes on after it, is rejected.
"""
import json
import os
import sys

from environments import make
from npy_actions import Rejection, read_action_lists

UPLOAD = "Action_List.npy"


def replay(env, actions, episode):
    total = 0.0
    for step, action in enumerate(actions, start=1):
        if not 0 <= action < env.action_space.n:
            raise Rejection("ACTION_INVALID", "episode %d, step %d: action %d is not one of 0..%d" % (episode, step, action, env.action_space.n - 1), line=episode, column=step)
        _, reward, terminated, truncated, _ = env.step(int(action))
        total += float(reward)
        if terminated or truncated:
            if step != len(actions):
                raise Rejection("EPISODE_ENDED_EARLY", "episode %d ended after %d actions but its list has %d; cut the list where the episode ends" % (episode, step, len(actions)), line=episode, column=step + 1)
            return total
    raise Rejection("EPISODE_NOT_FINISHED", "episode %d is still running after the last of its %d actions; play each episode to its end" % (episode, len(actions)), line=episode, column=max(len(actions), 1))


def main():
    splits = os.environ["MLJUDGE_SPLITS"].split(",")
    if splits != ["public"]:
        sys.exit("HW12 has a public board only: set program.splits to [public] in task.yaml")
    with open(os.path.join(os.environ["MLJUDGE_BUNDLE"], "episodes.json")) as config_file:
        config = json.load(config_file)
    try:
        lists = read_action_lists(os.environ["MLJUDGE_SUBMISSION"], config["episodes"])
        env = make(config["environment"])
        env.reset(seed=config["seed"])
        rewards = []
        for episode, actions in enumerate(lists, start=1):
            if episode > 1:
                env.reset()
            rewards.append(replay(env, actions, episode))
    except Rejection as rejection:
        answer = {"code": rejection.code, "message": rejection.message, "file": UPLOAD}
        if rejection.line:
            answer["line"] = rejection.line
        if rejection.column:
            answer["column"] = rejection.column
        print(json.dumps({"rejection": answer}))
        return
    print(json.dumps({"scores": {"public": {"mean_reward": sum(rewards) / len(rewards)}}}))


if __name__ == "__main__":
    main()
`;

const PLAY = String.raw`"""Makes an HW12 upload by playing a policy in the task's episodes (python3 play.py OUT [POLICY]).

POLICY: random (default, seeded), or lean for the cart-pole stand-in (push the way the pole leans).
Each list ends exactly where its episode ends, as the scoring program requires.
"""
import json
import os
import random
import sys

from environments import make
from npy_actions import write_action_lists


def main():
    out, policy = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "random")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "episodes.json")) as config_file:
        config = json.load(config_file)
    env, rng = make(config["environment"]), random.Random(1)
    observation, _ = env.reset(seed=config["seed"])
    lists = []
    for episode in range(config["episodes"]):
        if episode > 0:
            observation, _ = env.reset()
        actions, done = [], False
        while not done:
            if policy == "lean":
                action = 1 if observation[2] + 0.5 * observation[3] > 0 else 0
            else:
                action = rng.randrange(env.action_space.n)
            observation, _, terminated, truncated, _ = env.step(action)
            actions.append(action)
            done = terminated or truncated
        lists.append(actions)
    write_action_lists(out, lists)


if __name__ == "__main__":
    main()
`;

/** program/ of the HW12 bundle, by file name; episodes.json is written by the homework. */
export const HW12_PROGRAM_FILES: Readonly<Record<string, string>> = {
  'npy_actions.py': NPY_ACTIONS,
  'cartpole_stand_in.py': CARTPOLE_STAND_IN,
  'environments.py': ENVIRONMENTS,
  'replay.py': REPLAY,
  'play.py': PLAY,
};
