//! The simulation: three coders working and syncing at random always merge cleanly.

use super::*;

#[test]
fn three_coders_working_and_syncing_at_random_always_merge_cleanly() {
    let rounds: usize = std::env::var("THEMATIC_TEAM_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let seed: u64 = std::env::var("THEMATIC_TEAM_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let team = Team::new(&["sam", "kim"]);
    let out = team.thematic("kim", &["add-coder", "kim", "kim", "--name", "Kim Lee"]);
    assert!(out.status.success(), "{}", text(&out));
    let coders = ["alex", "sam", "kim"];
    let mut ledgers: BTreeMap<&str, Ledger> =
        coders.iter().map(|c| (*c, Ledger::default())).collect();
    let mut sim = Sim {
        team: &team,
        rng: Rng(seed),
        actions: 0,
        syncs: 0,
    };
    for _ in 0..rounds {
        let mut order = coders.to_vec();
        for i in (1..order.len()).rev() {
            order.swap(i, sim.rng.below(i + 1));
        }
        for coder in order {
            let ledger = ledgers.get_mut(coder).unwrap();
            for _ in 0..1 + sim.rng.below(6) {
                sim.act(coder, ledger);
            }
            sim.sync(coder);
            // What was fresh is now shared: others may use it, so it is no longer merged.
            let fresh: Vec<String> = ledger.fresh.drain(..).collect();
            ledger.own.extend(fresh);
        }
    }
    for _ in 0..2 {
        for coder in coders {
            sim.sync(coder);
        }
    }
    let reference = files_of(&team.dir("alex"));
    for coder in ["sam", "kim"] {
        let theirs = files_of(&team.dir(coder));
        assert_eq!(
            reference.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "alex and {coder} hold the same files"
        );
        for (path, bytes) in &reference {
            assert!(
                theirs[path] == *bytes,
                "{} differs in {coder}'s clone",
                path.display()
            );
        }
    }
    let loaded = thematic::store::load(&team.dir("alex")).unwrap();
    for (coder, ledger) in &ledgers {
        let id = CoderId::new(*coder).unwrap();
        for (t, s) in &ledger.kept {
            let t = TranscriptId::new(t).unwrap();
            assert!(
                loaded
                    .project
                    .segments(&id, &t)
                    .iter()
                    .any(|seg| seg.id.as_str() == s),
                "{coder}'s segment {s} in {t} was kept"
            );
        }
    }
    eprintln!(
        "team simulation: seed {seed}, {rounds} rounds, {} actions, {} syncs, all clean",
        sim.actions, sim.syncs
    );
}
