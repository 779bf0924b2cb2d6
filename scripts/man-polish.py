#!/usr/bin/env python3
"""Turns a page written by swift-argument-parser's generate-manual into the page scripts/man.sh installs.

    man-polish.py PAGE "name/section ..." [--leaf] > OUT

The generator copies each discussion text as it is. mdoc wants no blank lines (a paragraph is .Pp) and would refill
indented examples and tables, so those become literal displays. The discussion's "Exit status: ..." paragraph
replaces the generator's generic ".Ex -std" sentence, SEE ALSO names the other pages, and --leaf (a command without
subcommands) drops the "help" subcommand and the "subcommand" argument the generator adds to every root command.
"""
import sys


def literal_blocks(lines):
    out, literal = [], False
    for line in lines:
        indented = line.startswith("  ") and not line.startswith(".")
        if indented and not literal:
            out.append(".Bd -literal -offset indent")
            literal = True
        if literal and not indented:
            out.append(".Ed")
            literal = False
        if indented:
            out.append(line[2:].replace("\\", "\\e"))
        elif line == "":
            out.append(".Pp")
        else:
            out.append(line)
    while out and out[-1] in ("", ".Pp"):
        out.pop()
    if literal:
        out.append(".Ed")
    return out


def exit_status_section(out):
    exits = [i for i, line in enumerate(out) if line.startswith("Exit status: ")]
    if not exits or ".Ex -std" not in out:
        return out
    index = exits[0]
    text = out.pop(index)[len("Exit status: "):]
    if out[index - 1] == ".Pp":
        del out[index - 1]
    out[out.index(".Ex -std")] = text[0].upper() + text[1:]
    return out


def without_help_subcommand(out):
    out = [line for line in out if line != ".Ar subcommand"]
    if ".It Em help" not in out:
        return out
    start = out.index(".It Em help")
    end, depth = start + 1, 0
    # The entry runs to the next item of the same list, or to the list's end.
    while end < len(out):
        line = out[end]
        if line.startswith(".Bl"):
            depth += 1
        elif line == ".El":
            if depth == 0:
                break
            depth -= 1
        elif line.startswith(".It") and depth == 0:
            break
        end += 1
    del out[start:end]
    return out


def main():
    source, see_also = sys.argv[1], sys.argv[2]
    leaf = "--leaf" in sys.argv[3:]
    out = literal_blocks(open(source, encoding="utf-8").read().split("\n"))
    out = exit_status_section(out)
    if leaf:
        out = without_help_subcommand(out)
    out.append(".Sh SEE ALSO")
    refs = [ref.split("/") for ref in see_also.split()]
    for index, (name, section) in enumerate(refs):
        out.append(".Xr %s %s%s" % (name, section, " ," if index < len(refs) - 1 else ""))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
