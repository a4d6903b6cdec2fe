#!/usr/bin/env python3
"""Writes a second study for `thematic dev eval-suggest`, written unlike sample-project:
focus groups of teachers on remote teaching (a moderator and named speakers, short turns,
no "Interviewer:"/"Participant:" labels), eight codes whose vocabularies overlap, and a
coder who codes most but not all of the sentences on a code's topic, one or two sentences
at a time. Deterministic for a seed; uses only the thematic binary and the standard library.

    python3 scripts/make_suggest_study.py DIR [--seed 7] [--thematic target/debug/thematic]
    thematic dev eval-suggest DIR
"""

import argparse
import json
import os
import random
import subprocess
import tempfile

CODES = {
    "Screen fatigue": "screens tired eyes headache hours exhausted camera staring evening drained",
    "Parents as co-teachers": "parents mums dads kitchen table homework helping siblings supervise juggling",
    "Unequal access to devices": "laptop laptops tablet broadband wifi data shared phone printer borrowed",
    "Safeguarding worries": "safeguarding welfare vulnerable calls worried disclosure checked hidden concern",
    "Learning new platforms": "platform teams classroom upload login passwords training tutorials breakout software",
    "Losing the classroom buzz": "buzz noise corridor banter laughing energy together missing chatter atmosphere",
    "Assessment without exams": "grades assessment exams evidence moderation predicted marking coursework fairness rubric",
    "Workload creep": "workload emails evenings weekends marking deadlines endless admin overtime planning",
}
SHARED = ("children pupils class lesson week school staff time really "
          "just things kind sort year students work term day").split()
FILLER = [
    "We had {a} and {b} to think about that {w}.",
    "Honestly the {a} side of it was {b} for most of {w}.",
    "I remember the {a}, and then the {b}, all in one {w}.",
    "It came back to {a} again, {b} too, every {w}.",
    "So the {a} thing and the {b} thing went together that {w}.",
    "You could see it in the {a} and the {b} by the end of the {w}.",
]
SMALL_TALK = [
    "Yes, I agree with that.", "That is a good point.", "Same for us, more or less.",
    "I had not thought of it like that.", "Can I come back to something?",
    "We were lucky in some ways.", "It depends on the school, I suppose.",
    "That was the hardest part.", "Nobody planned for it.", "It was a strange year.",
]
MODERATOR = [
    "Tell me more about that.", "How did the others find it?", "What changed over the year?",
    "Was that the same across the department?", "What would you keep from that time?",
    "How did the pupils respond?", "Let us move on to the next question.",
]
SPEAKERS = ["Ana", "Ben", "Chloe", "Dev", "Erin", "Femi"]


def on_topic(rng, code):
    own = CODES[code].split()
    other = CODES[rng.choice([c for c in CODES if c != code])].split()
    words = rng.sample(own, 2)
    # A third of the time a word of another code slips in: topics overlap in real talk.
    third = rng.choice(other) if rng.random() < 0.33 else rng.choice(SHARED)
    return rng.choice(FILLER).format(a=words[0], b=words[1] if rng.random() < 0.7 else third,
                                     w=rng.choice(SHARED))


def off_topic(rng):
    if rng.random() < 0.5:
        return rng.choice(SMALL_TALK)
    a, b = rng.sample(SHARED, 2)
    # Now and then a code's word turns up in talk about something else.
    if rng.random() < 0.15:
        b = rng.choice(CODES[rng.choice(list(CODES))].split())
    return rng.choice(FILLER).format(a=a, b=b, w=rng.choice(SHARED))


def transcript(rng, number):
    """The text and its coded sentences: [(start, end, code)] in chars."""
    speakers = rng.sample(SPEAKERS, 4)
    topics = rng.sample(list(CODES), 4)
    text, coded = "", []
    for turn in range(36):
        if turn % 4 == 0:
            text += f"Moderator: {rng.choice(MODERATOR)}\n\n"
            continue
        text += f"{rng.choice(speakers)}: "
        topic = rng.choice(topics) if rng.random() < 0.6 else None
        sentences = rng.randint(1, 3)
        run_start = None
        for i in range(sentences):
            start = len(text)
            if topic is not None and rng.random() < 0.7:
                sentence = on_topic(rng, topic)
                if run_start is None:
                    run_start = start
                run_end = start + len(sentence)
            else:
                sentence = off_topic(rng)
            text += sentence + (" " if i + 1 < sentences else "")
        # The coder codes most of what is on topic, one stretch per turn.
        if run_start is not None and rng.random() < 0.85:
            coded.append((run_start, run_end, topic))
        text += "\n\n"
    # An imported text ends with one line break.
    return text.rstrip("\n") + "\n", coded


def run(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(args)}: {out.stderr}")
    return out.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--groups", type=int, default=16)
    parser.add_argument("--thematic", default="target/debug/thematic")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    env_dir = tempfile.mkdtemp()
    os.environ["THEMATIC_CONFIG_DIR"] = env_dir
    run(args.thematic, "new", args.dir, "--name", "Remote teaching focus groups", "--coder", "alex")
    texts = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n in range(1, args.groups + 1):
            name = f"fg{n:02d}"
            texts[name] = transcript(rng, n)
            path = os.path.join(tmp, f"{name}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(texts[name][0])
            files.append(path)
        run(args.thematic, "import", args.dir, *files)
    for code in CODES:
        run(args.thematic, "codes", "add", args.dir, code, "--coder", "alex")
    ids = {c["name"]: c["id"] for c in json.loads(run(args.thematic, "codebook", args.dir, "--format", "json"))["codes"]}
    for name, (text, coded) in texts.items():
        stored = open(os.path.join(args.dir, "transcripts", f"{name}.txt"), encoding="utf-8").read()
        assert stored == text, f"{name}: import changed the text"
        lines = [f"transcript: {name}", "coder: alex", "segments:"]
        for k, (start, end, code) in enumerate(coded):
            quote = json.dumps(text[start:end], ensure_ascii=False)
            lines += [f"- id: s-{rng.getrandbits(48):012x}", f"  start: {start}", f"  end: {end}",
                      f"  codes: [{ids[code]}]", f"  text: {quote}",
                      f"  created: \"2025-06-0{1 + k % 9}T10:00:00Z\""]
        os.makedirs(os.path.join(args.dir, "codings", "alex"), exist_ok=True)
        with open(os.path.join(args.dir, "codings", "alex", f"{name}.yaml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print(run(args.thematic, "check", args.dir), end="")


if __name__ == "__main__":
    main()
