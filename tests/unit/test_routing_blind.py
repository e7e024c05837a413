"""The engine on complaints written by people who never saw the table or the engine
(complaints/routing/examples/, issue 13), scored as `flask routing score` does.

Each set was scored before the table was tuned on it (entirely right / clues found):
a 41.8%, b 55.5%, c 45.8% with the first engine (19 of 86 clues); c was written after a and b
had been used, and scored 80.0% (21 of 30 clues) untouched. d and e, written a session later,
scored 63.3% each (15 of 24 clues, 10.8% confidently wrong) before they were looked at; f,
written after the table had been tuned on a-e, scored 75.0% (12 of 13 clues, 8.3% confidently
wrong). h and i, written a session after g (g: 81.7% untuned), scored 70.0% (9 of 12 clues, 2
false, 15.0% confidently wrong) and 63.3% (4 of 11 clues, 4 false, 13.3%) before tuning, and
88.3% each after (all 23 clues, 2 false). j and k (issue 13, a session later) scored 75.0%
(6 of 13 clues, 4 false, 6.9% confidently wrong) and 70.8% (9 of 15 clues, 5 false, 11.1%) by the
table alone before tuning, 81.9% and 76.4% (11 and 12 clues) with the learned fallback trained on
a-i; the table alone after tuning 83.3% and 86.1%. l and m (two sessions later, 90 each) scored
77.8% (11 of 20 clues, 1 false, 8.9% confidently wrong) and 64.4% (12 of 22 clues, 3 false, 13.3%)
by the table alone before tuning, 86.7% and 67.8% (17 and 15 clues) with the fallback trained on
a-k; after tuning 90.0% and 93.3% alone (a list and who was left off it in one sentence, a
category that needs a word the text must hold, what a writer sets aside, a particle that is no
sound-alike). n and o (a session later, 90 each: scripts and dialects; the kinds of miss) scored
84.4% (16 of 22 clues, 7.8% confidently wrong) and 65.6% (16 of 25 clues, 2 false, 14.4%) by the
table alone before tuning, 91.1% and 76.7% (21 and 20 clues) with the fallback trained on a-m;
after tuning 97.8% each alone (the house marker that says most, a town that is only where the
writer works, "更要紧的是" pointing forward, an official silencing the writer, "him" carrying the
official to the next sentence). p and q, written after that tuning (90 each: a month's traffic;
clues and traps), scored 88.9% (17 of 20 clues, 1 false, 5.6% confidently wrong) and 77.8% (30 of
45 clues, 1 false, 5.6%) by the table alone before they were looked at, 92.2% and 83.3% with the
fallback trained on a-o; after tuning 98.9% and 94.4%. s and r, written after that (90 each:
short noisy texts; long stories, two problems, relatives writing, operators' notes), scored 90.0%
(16 of 19 clues, 1 false, 5.6% confidently wrong) and 80.0% (14 of 18 clues, 1 false, 10.0%)
by the table alone before they were looked at, 94.4% and 84.4% with the fallback trained on a-q;
after tuning 97.8% and 96.7%. t and u, written after that (90 each: the issue's mix of styles;
the rarer categories), scored 85.6% (16 of 22 clues, 0 false, 5.6% confidently wrong) and 86.7%
(10 of 15 clues, 0 false, 5.6%) by the table alone before they were looked at, 94.4% and 91.1%
with the fallback trained on a-s; after tuning 96.7% each. v and w, written after that (90 each:
ten kinds of writer; reported speech, rumour, sarcasm, corrections), scored 93.3% (18 of 20 clues,
0 false, 3.3% confidently wrong) and 86.7% (19 of 22 clues, 1 false, 6.7%) by the table alone
before they were looked at, 94.4% and 87.8% with the fallback trained on a-u; after tuning 98.9%
and 92.2%. x and y, written after that (90 each: a typhoon month's traffic; the paperwork side),
scored 86.7% (16 of 18 clues, 2 false, 6.7% confidently wrong) and 91.1% (19 of 22 clues, 1
false, 3.3%) by the table alone before they were looked at, 88.9% and 95.6% with the fallback
trained on a-w; after tuning 97.8% and 98.9%. z and za, written a session later (90 each: the
held-out set's styles, nine each of ten; a winter month with the Spring Festival), scored 83.3%
(18 of 23 clues, 0 false, 2.2% confidently wrong) and 85.6% (19 of 23 clues, 1 false, 10.0%) by
the table alone before they were looked at, 88.9% and 91.1% (all 23 clues each) with the fallback
trained on a-y; after tuning 97.8% and 96.7% (a new house and the old one lived in, the official
"he" still is sentences later, staff named by surname, punishing a complaint, a town's old
house, materials only with a product or seller). Three of z's expectations named the township as
a co-unit of appraisal-overdue, which the manual does not: corrected. zb and zc, written after
that tuning (90 each: the held-out set's styles again, with denials and contrasts; the hard cases
of who did it, where the house is, corrections, two problems), scored 86.7% (19 of 23 clues, 0
false, 4.4% confidently wrong) and 77.8% (18 of 23 clues, 2 false, 12.2%) by the table alone
before they were looked at, 90.0% and 84.4% (20 and 22 clues) with the fallback trained on a-za;
after tuning 91.1% and 87.8% (a shop owner or builder is no official, 他 before a relative, a
grudge for a complaint, the staff a unit sent, a hazard said to be fine, pinyin initials).
zd and ze, written a session later (90 each: the held-out set's styles with everyday accusations
and their look-alikes; the typhoon season's writers: children far away, cadres, pasted chats),
scored 88.9% (21 of 24 clues, 0 false, 3.3% confidently wrong) and 86.7% (17 of 23 clues, 1
false, 5.6%) by the table alone before they were looked at, 92.2% and 91.1% (23 and 19 clues)
with the fallback trained on a-zc; after tuning 97.8% and 96.7% (who takes from a builder is no
builder, a sentence opening with an act goes on about the official, a relative right after the
post, a threat to one who complains again and the house still the case, no receipt is no
denial, a word of its own is not cut into a sound-alike, Minnan home and builder).
zf and zg, written a session later (90 each: the held-out set's styles with negations and
operators' notes; winter rain, helpers and neighbours writing, county staff accused, money
changing hands, paperwork, one-liners), scored 86.7% (14 of 18 clues, 1 false, 5.6% confidently
wrong) and 91.1% (18 of 19 clues, 2 false, 4.4%) by the table alone before they were looked at,
90.0% and 93.3% (16 and 19 clues) with the fallback trained on a-ze; after tuning 96.7% each (a
list the writer could not get on while another was slipped in, a writer who blames nobody, a
denial before any complaint, a builder called a swindler is abused, fees for a favour, points
off and a bank's fee are no money kept back, a hill that cracks, thanks, where a caller lives).
zh and zi, written after that tuning (90 each: the held-out set's styles with contrasts; writers
and situations: grandchildren, answers to a reply, after the renovation, family quarrels, right
now, officials' words, the money, lists and quotas, odd ones, short and vague), scored 87.8% (14
of 18 clues, 0 false, 3.3% confidently wrong) and 78.9% (15 of 19 clues, 2 false, 8.9%) by the
table alone before they were looked at, 94.4% and 87.8% (17 and 19 clues) with the fallback
trained on a-zg; after tuning 94.4% and 93.3% (an official's relative on a list, a swap, Minnan
walls, lightning, a leak again, acts: a threat to the allowance, an appraisal written from the
car, money "kept for you", a plate filled in at the office; a signature the rules ask for is no
forgery, a new building is not heard as a missed report). Five cases of b and c file a quota
given to an official's relative as the clue alone (other), where later sets and the issue file
it as household-data; they are left as they were written, and now count as misses.
zk and zj, written after that (90 each: the boundaries between categories; the held-out set's
styles again), scored 78.9% (14 of 18 clues, 1 false, 12.2% confidently wrong) and 87.8% (15 of
18, 2 false, 3.3%) by the table alone before they were looked at, 85.6% and 92.2% (17 clues
each) with the fallback trained on a-zi; after tuning 92.2% and 95.6% (what is said of a builder
or seller, "问题在…" marking the main issue, 没有新房 is no 有新房, a fee in cigarettes, the
staff who came to see the damage, sound-alikes kept as written, more ways to say a leak, bad
work, a thanks, a road, a swindle by WeChat). Two false clues stay: an act of a neighbour or a
relative read as the township's that wants to reinforce the house.
zl and zm, written a session later (90 each: the held-out set's styles; operators' notes, mixed
scripts, subtle accusations and their look-alikes), scored 86.7% (16 of 18 clues, 4 false, 5.6%
confidently wrong) and 82.2% (5 of 15 clues, 3 false, 2.2%) by the table alone before they were
looked at, 90.0% and 93.3% (17 and 13 clues) with the fallback trained on a-zk; after tuning
95.6% and 94.4% (a post said in everyday words, 管房子的, 管账的, and its acts: a card "kept for
all", a part of the subsidy asked back, "走动走动"; people and quotas heard through a homophone,
包公头, 明额; hearsay of where a cadre comes from is no impostor; neighbours' signatures; a leak
the writer can fix is set aside; "问题是" marks the main issue). Left as misses: a record that
says renovated when nothing was (a clue in earlier sets, a clerk's slip to these writers),
"na dao" in pinyin heard as 拿刀, an official who signs with the writer's consent, retaliation
told only by its timing.
zn and zo, written after that tuning (90 each: the held-out set's ten styles; ten kinds of
writer: grandchildren, a village doctor, an operator, a widow by voice, a migrant worker in half
pinyin, a retired teacher in classical turns, a neighbour, a helper cadre, a shopkeeper, an angry
son), scored 87.8% (14 of 19 clues, 3 false, 1.1% confidently wrong) and 91.1% (14 of 18 clues, 0
false, 2.2%) by the table alone before they were looked at, 90.0% and 96.7% (16 and 18 clues)
with the fallback trained on a-zm; after tuning 94.4% and 96.7% ("他表哥是村干部": the relative
is the official, not an act of the one who boasts; "them" after a builder is still the builder;
a blank form to press a thumb on, money "managed for the village", gifts asked before a filing;
之 for 的 after a post; English words among Chinese; a relative's family on a list). Left as
misses: a correction that names another official in the same sentence ("收钱的不是镇里干部，是
村里的会计"), a pinyin "shang lie" heard as 山裂, a complaint about the hotline itself.
zp and zq, written after that tuning (90 each: the hard boundaries, ten each of two problems,
where the house is, who did it, corrections, old and new houses, lists, money, weather and hills,
plates and appraisals; a rainy spring month's traffic in the held-out styles), scored 83.3% (14
of 19 clues, 2 false, 5.6% confidently wrong) and 92.2% (14 of 18 clues, 0 false, 2.2%) by the
table alone before they were looked at, 87.8% and 95.6% (17 clues each) with the fallback
trained on a-zo; after tuning 92.2% and 96.7% (a writer who insists the official was real, who
says he did not know or that they wronged him; "真正的问题是"; a correction of the last message;
a resettlement flat is a new home; the staff who record the damage; a brother by 其胞兄; a fee
for a meal one did not buy; retaliation said outright). Five of zq's expectations named the
township as a co-unit of appraisal-overdue, which the manual does not: corrected before scoring.
zr and zs, written after that tuning (90 each: the held-out styles in a summer of typhoons and
floods; how accusations are really told and what only looks like one: gifts, money short,
relatives, faked papers, threats, impostors, builders, slowness, retractions), scored 86.7% (15
of 17 clues, 3 false, 5.6% confidently wrong) and 71.1% (30 of 40 clues, 4 false, 10.0%) by the
table alone before they were looked at, 86.7% and 83.3% (15 and 35 clues) with the fallback
trained on a-zq; after tuning 94.4% and 86.7% (a retraction clears what came before it, not what
follows; "I have no objection", "I am not saying anyone took it"; a bank's transfer fee; a fee
without a receipt; the appraiser who came; gifts kept and nothing done; negations typed in
pinyin; Minnan floods; the old house one is sent back to). Left as misses: a swindler's plate
fee, a typhoon that only brings a leak in, a real official first taken for a swindler, an
official's relative acting alone. A category the chosen one outranks but that the text says
more often, and another unit leads, now sends the case to triage (the lead unit decides): the
confidently wrong fell from 80 to 48 of 3,904, the triaged rose from 582 to 625.
zt and zu, written after that (90 each: the held-out styles in an autumn after the first round
of rectification; ten hard writers: barely literate, dialect, overseas relatives in Cantonese or
Taiwanese wording, teenagers, very short, rambling, formal letters, officials quoted, two houses,
a changed mind), scored 90.0% (15 of 19 clues, 2 false, 3.3% confidently wrong) and 84.4% (16 of
18 clues, 3 false, 5.6%) by the table alone before they were looked at, 94.4% and 85.6% (18 and
17 clues) with the fallback trained on a-zs; after tuning 97.8% and 92.2% ("这不是造假吗": a
question expecting yes affirms; an inspector who did not get out of the car; money the official
says he advanced; "不是要告谁"; keys in Minnan; a new house and the old one still slept in;
Cantonese particles; a town's old house).
zv and zw, written after that (90 each: the held-out styles before the Spring Festival; the
boundaries between two answers: leak or danger, storm or old age, hill or house, list or
procedure, plate or appraisal, builder or materials, swindler or official, official or relative
alone, still living or just asking), scored 95.6% (17 of 18 clues, 1 false, 0% confidently
wrong) and 83.3% (14 of 18 clues, 4 false, 5.6%) by the table alone before they were looked at,
96.7% and 85.6% with the fallback trained on a-zu; after tuning (on zw) 95.6% and 92.2% (a writer
who first took the official for a swindler and says he was real; "跟支书没关系", "个人的行为":
a relative alone; a cadre who skipped the household when recording damage; a steady hill; a leak
that keeps coming; Minnan 内底 and 小姨仔; what is said of a real official as a swindler).
Tuning was on rules (a post and an
act, an official's relative where a favour is named, what a word means next to another, the main
issue a writer marks, the south's pronunciation and the everyday words it must not hear as the
table's), not on sentences. The floors below are the
figures after tuning, rounded down: a change that makes the engine read residents worse fails
here. The held-out set is not here."""

import json

import pytest

from complaints.routing.engine import Router
from complaints.routing.learned import EXAMPLES
from complaints.routing.scoring import score
from complaints.routing.table import load_routing_table

BLIND = EXAMPLES
# The table alone: the learned fallback was trained on these very sets.
ROUTER = Router(load_routing_table(), examples=())


def cases():
    return [case for path in sorted(BLIND.glob("*.json"))
            for case in json.loads(path.read_text("utf-8"))]


def test_the_sets_name_only_units_of_the_table():
    slugs = {unit.slug for unit in ROUTER.table.units}
    for case in cases():
        expect = case["expect"]
        named = {expect["lead_unit"], *expect.get("co_units", []),
                 *(slug for slug in (expect.get("township"), expect.get("accused_unit")) if slug)}
        assert named <= slugs, case["text"]


@pytest.fixture(scope="module")
def tally():
    return score(ROUTER, cases())["all"]


def test_most_complaints_are_routed_entirely_right(tally):
    assert tally.cases >= 4264
    assert tally.right / tally.cases >= 0.95


def test_discipline_clues_are_found(tally):
    assert tally.clues_found / tally.clues >= 0.95
    assert tally.false_clues <= 23


def test_the_engine_is_rarely_confidently_wrong(tally):
    assert tally.confidently_wrong / tally.cases <= 0.02
