"""Parity checks of the kernel-free book panels: what each panel must show at a setting, computed
by calling the models directly (never the panel's own code), to the precision the panel displays.

Used by tests/test_book_panels.py (the numbers stored in the page) and
tests/browser/test_book_panels.py (the numbers the page shows after its controls are set).
``PARITY[key] = (book panel maker, expected texts at a setting, settings the lessons ask for)``.
"""

from __future__ import annotations

import math
import random


def _electrolytes_expected(s):
    from widgets.models import ectopic
    from widgets.models import motor_axon as ma

    rest, thr, _, rheo, tau = ma.threshold_readouts(s)
    n = ectopic.simulate_noisy(s, duration_ms=1000.0, seed=0, record_every=10).spike_times_ms.size
    texts = [f"{rest:.1f} mV", f"{n} in 1 s"]
    if math.isfinite(thr):
        texts += [f"{thr:.3f} nA", f"{rheo:.3f} nA", f"{tau:.2f} ms"]
    else:
        texts.append("none up to 50 nA")
    return texts


def _electrolytes():
    from widgets.panels.electrolytes import electrolyte_book_panel
    return electrolyte_book_panel()


def _membrane_expected(s):
    from widgets.models import ions

    inside = {ion: ions.INTRACELLULAR_mM[ion].typical for ion in ("K", "Na", "Cl")}
    out = {"K": s["k_out"], "Na": s["na_out"], "Cl": s["cl_out"]}
    e = ions.equilibrium_potentials_mV(out, inside, 37.0)
    rest = ions.ghk_voltage(out, inside, {"K": 1.0, "Na": s["pna_pk"], "Cl": s["pcl_pk"]}, 37.0)
    return [f"= {e['K']:.1f} mV", f"= {e['Na']:+.1f} mV", f"= {e['Cl']:.1f} mV",
            f"(GHK) = {rest:.1f} mV", f"outside {s['k_out']:.1f} mmol/L"]


def _membrane():
    from widgets.panels.membrane import membrane_book_panel
    return membrane_book_panel()


def _action_potential_expected(s):
    from widgets.models import squid_axon

    tr = squid_axon.simulate(s["current_uA_cm2"], 100.0, s["temp_c"])
    return [f"{tr.n_spikes} spikes in 100 ms", f"peak {tr.v_mV.max():+.0f} mV"]


def _action_potential():
    from widgets.panels.action_potential import action_potential_book_panel
    return action_potential_book_panel()


def _base_rates_expected(s):
    from widgets.models import base_rates

    prior = s["prevalence_per_100k"] / 1e5
    # Bayes by hand (an independent calculation of the model's population tree)
    with_als = 1e5 * prior
    tw_als = with_als * s["sens_fasc"]
    tw = tw_als + (1e5 - with_als) * s["fpr_fasc"]
    fww_als = with_als * s["sens_fww"]
    fww = fww_als + (1e5 - with_als) * s["fpr_fww"]
    return [f"of {tw:,.0f} people", f"{tw_als:.1f} have ALS",
            f"({base_rates.one_in(tw_als / tw)})", f"{base_rates.in_100(fww_als / fww)} have ALS"]


def _base_rates():
    from widgets.panels.base_rates import base_rate_book_panel
    return base_rate_book_panel()


def _axon_channels_expected(s):
    from widgets.models import motor_axon

    def sd(nap, ks):
        scale = {"NaP": nap, "Ks": ks}
        rest = motor_axon.resting_potential(conductance_scale=scale)
        rheo, tau, thr = motor_axon.strength_duration(conductance_scale=scale,
                                                      durations_ms=(0.2, 1.0))
        return rest, float(thr[-1]), rheo, tau

    rest, thr, rheo, tau = sd(s["nap_scale"], s["ks_scale"])
    _, thr0, rheo0, tau0 = sd(1.0, 1.0)
    if rest > -60.0 or not math.isfinite(thr):       # the panel's depolarisation-block rule
        return ["Depolarisation block", f"rests at {rest:.0f} mV"]
    return [f"Rest {rest:.1f} mV", f"threshold {100 * thr / thr0:.0f}% of normal",
            f"rheobase {100 * rheo / rheo0:.0f}%", f"time constant {100 * tau / tau0:.0f}%"]


def _axon_channels():
    from widgets.panels.axon_channels import axon_channels_book_panel
    return axon_channels_book_panel()


def _pool_expected(s):
    import numpy as np

    from widgets.models.motor_units import FuglevandPool

    pool = FuglevandPool(seed=0)
    e = s["excitation"]
    n_rec = int(np.count_nonzero(pool.firing_rates(e)))
    return [f"{n_rec} of {pool.n_units} units recruited",
            f"mean force {100 * pool.mean_force(e) / pool.max_force():.0f}% of maximum"]


def _pool():
    from widgets.panels.motor_units import motor_unit_pool_book_panel
    return motor_unit_pool_book_panel()


def _summation_expected(s):
    from widgets.models.motor_units import FuglevandPool

    pool = FuglevandPool()
    i = 0 if s["unit"].startswith("slowest") else pool.n_units - 1
    r = pool.unit_force(i, s["rate_hz"], 1000.0)
    return [f"{s['rate_hz']:.0f} Hz:", f"mean force {r.steady_mean / r.peak:.1f} x one twitch",
            f"fusion {100 * r.fusion:.0f}%"]


def _summation():
    from widgets.panels.motor_units import twitch_summation_book_panel
    return twitch_summation_book_panel()


def _emg_expected(s):
    import numpy as np

    from widgets.models.emg import fasciculation_train, voluntary_emg
    from widgets.models.motor_units import FuglevandPool

    if s["activity"] == "voluntary":
        rec = voluntary_emg(FuglevandPool(seed=0), s["excitation"], 2.0, 10_000.0,
                            s["electrode"], 0)
    else:
        rec = fasciculation_train(s["fp_rate_hz"], 2.0, 10_000.0, s["electrode"], 0)
    return [f"{rec.event_times_ms.size} discharges in 2 s",
            f"peak-to-peak {float(np.ptp(rec.signal_mV)):.2f} mV"]


def _emg():
    from widgets.panels.emg import emg_book_panel
    return emg_book_panel()


def _exercise_expected(s):
    from widgets.models import exercise

    dur_s = 60.0 * s["duration_min"]
    r = exercise.simulate_effort(s["intensity_pct"], dur_s, recovery_s=20 * 60.0 - dur_s,
                                 dt_s=2.0)
    k = float(r.interstitial_at(r.effort_end_s + 60.0 * s["time_after_min"]))
    texts = [f"{s['time_after_min']:g} min after effort", f"interstitial K⁺ {k:.2f} mmol/L"]
    valid = exercise.axon_k_range_mM()
    if valid.low <= round(k, 2) <= valid.high:     # the axon at K+ to the readout's precision
        exc = exercise.excitability_at_k(round(k, 2))
        texts += [f"resting potential {exc.resting_potential_mV:.1f} mV",
                  f"threshold {exc.threshold_nA:.2f} nA",
                  f"spontaneous firing {exc.spontaneous_rate_hz:.2f} /s"]
    else:
        texts.append("not computed")
    return texts


def _exercise():
    from widgets.panels.exercise import exercise_book_panel
    return exercise_book_panel()


def _denervation_expected(s):
    import numpy as np

    from widgets.models import denervation

    p = denervation.reinnervate(s["fraction_lost"])
    f = denervation.fasciculation_potentials(p, 8)
    return [f"surviving units {p.n_surviving};", f"enlarged {p.enlargement_factor:.1f}×",
            f"force {100 * p.force_fraction:.0f}% of healthy",
            f"potential {np.mean(f.peak_to_peak_mV):.1f} mV, {np.mean(f.duration_ms):.0f} ms, "
            f"{np.mean(f.phases):.0f} phases"]


def _denervation():
    from widgets.panels.denervation import denervation_book_panel
    return denervation_book_panel()


def _mechanism_expected(s):
    from widgets.models import hyperexcitability as hx

    n = hx.readouts("normal", 1.0, duration_s=1.0)
    r = hx.readouts(s["mechanism"], s["severity"], duration_s=1.0)
    spikes = len(hx.spike_times_s(s["mechanism"], s["severity"], duration_s=10.0))
    return [f"Resting potential {r.resting_potential_mV:.1f} mV",
            f"threshold {100 * r.threshold_nA / n.threshold_nA:.0f}%",
            f"tau_SD {100 * r.tau_sd_ms / n.tau_sd_ms:.0f}% of normal",
            f"{spikes} ectopic spikes in 10 s"]


def _mechanism():
    from widgets.panels.hyperexcitable import mechanism_book_panel
    return mechanism_book_panel()


def _classification_expected(s):
    from widgets.models import movements
    from widgets.panels.classify import EXERCISE_ORDER, NO_ANSWER

    kind = EXERCISE_ORDER[s["trace"] - 1]
    texts = [f"Trace {s['trace']}: {movements.PHENOMENA[kind].setting}"]
    if s["answer"] == kind:
        texts.append(f"Right: {kind}.")
    elif s["answer"] != NO_ANSWER:
        texts += [f"Not {s['answer']}.", movements.PHENOMENA[s["answer"]].emg_clue]
    return texts


def _classification():
    from widgets.panels.classify import classification_book_panel
    return classification_book_panel()


def _generator_expected(s):
    from widgets.models import differential as dx
    from widgets.models import movements

    d = dx.brain_disorder(s["disorder"])
    f = movements.event_features(movements.simulate(d.movement, int(s["seed"])))
    return [f"{d.name}: {d.movement_label}",
            f"Top trace: events last about {f.median_event_ms:.0f} ms, interval CV "
            f"{f.interval_cv:.2f}, peak joint angle {f.peak_angle_deg:.1f} deg"]


def _generator():
    from widgets.panels.differential import generator_book_panel
    return generator_book_panel()


def _evidence_expected(s):
    from widgets.models import differential as dx

    c = dx.OTHER_CAUSES[s["cause"]]
    return [f"{s['cause']}. Mechanism: {dx.MECHANISM_GRADES[c.mechanism]}. Evidence: "
            f"{dx.EVIDENCE_GRADES[c.evidence]}.", c.what_it_really_causes]


def _evidence():
    from widgets.panels.differential import evidence_book_panel
    return evidence_book_panel()


def _threshold_tracking_expected(s):
    from widgets.models import threshold_tracking as tt

    idx = tt.protocol_indices({"K": s["K_mM"], "Ca": s["Ca_mM"]},
                              {"NaP": s["NaP_scale"], "Ks": s["Ks_scale"]})
    if not math.isfinite(idx["SDTC_ms"]):
        return ["Depolarisation block"]
    keys = ("SDTC_ms", "TEd40_60_pct", "RRP_ms", "superexcitability_pct")
    return [f"{idx[k]:.2f}" for k in keys if math.isfinite(idx[k])]


def _threshold_tracking():
    from widgets.panels.threshold_tracking import threshold_tracking_book_panel
    return threshold_tracking_book_panel()


PARITY = {
    "electrolytes": (_electrolytes, _electrolytes_expected,
                     [{"K": 2.5}, {"Ca": 0.6}, {"K": 3.3}, {"K": 4.1},
                      {"Mg": 0.35, "Ca": 1.0, "K": 3.2}, {"Mg": 2.0}, {"Na": 120.0}]),
    "membrane": (_membrane, _membrane_expected,
                 [{"k_out": 3.5}, {"k_out": 5.1}, {"na_out": 136.0}, {"na_out": 145.0},
                  {"k_out": 2.0, "pna_pk": 0.1}, {"cl_out": 90.0}, {"pcl_pk": 0.5}]),
    "action-potential": (_action_potential, _action_potential_expected,
                         [{"current_uA_cm2": 2.0}, {"current_uA_cm2": 2.3},
                          {"current_uA_cm2": 6.2}, {"temp_c": 37.0},
                          {"current_uA_cm2": 3.0, "temp_c": 20.0}]),
    "base-rates": (_base_rates, _base_rates_expected,
                   [{"fpr_fasc": 0.1}, {"sens_fasc": 1.0}, {"sens_fasc": 1.0, "fpr_fasc": 0.1},
                    {"fpr_fww": 0.02}, {"fpr_fww": 0.0001}, {"prevalence_per_100k": 20.0}]),
    "axon-channels": (_axon_channels, _axon_channels_expected,
                      [{"nap_scale": 1.5}, {"nap_scale": 2.0}, {"nap_scale": 3.0},
                       {"ks_scale": 0.25}, {"nap_scale": 5.0, "ks_scale": 0.0}]),
    "motor-unit-pool": (_pool, _pool_expected,
                        [{"excitation": 5.0}, {"excitation": 30.0}, {"excitation": 50.0}]),
    "twitch-summation": (_summation, _summation_expected,
                         [{"rate_hz": 2.0}, {"rate_hz": 10.0},
                          {"rate_hz": 10.0, "unit": "fastest (last recruited)"}]),
    "emg": (_emg, _emg_expected,
            [{"excitation": 20.0}, {"activity": "fasciculation", "fp_rate_hz": 0.2},
             {"activity": "fasciculation", "fp_rate_hz": 0.2, "electrode": "surface"},
             {"electrode": "surface", "excitation": 30.0}]),
    "exercise": (_exercise, _exercise_expected,
                 [{"intensity_pct": 100.0, "time_after_min": 0.0},
                  {"intensity_pct": 100.0, "time_after_min": 5.0},
                  {"intensity_pct": 15.0, "time_after_min": 2.0}, {"duration_min": 10.0}]),
    "denervation": (_denervation, _denervation_expected,
                    [{"fraction_lost": 0.5}, {"fraction_lost": 0.8}, {"fraction_lost": 0.9}]),
    "mechanism": (_mechanism, _mechanism_expected,
                  [{"severity": 0.5}, {"mechanism": "ischaemia", "severity": 0.5},
                   {"mechanism": "normal"}]),
    "classification": (_classification, _classification_expected,
                       [{"trace": 6, "answer": "fasciculation"}, {"trace": 2},
                        {"trace": 9, "answer": "tic"}, {"trace": 2, "answer": "fasciculation"}]),
    "threshold-tracking": (_threshold_tracking, _threshold_tracking_expected,
                           [{"K_mM": 6.0}, {"Ca_mM": 0.8}, {"NaP_scale": 2.0},
                            {"Ks_scale": 0.5}, {"K_mM": 10.0}]),
    "generator": (_generator, _generator_expected,
                  [{"disorder": "Parkinson disease", "seed": 3},
                   {"disorder": "Huntington disease", "seed": 7}]),
    "evidence": (_evidence, _evidence_expected,
                 [{"cause": "myasthenia gravis"}, {"cause": "fibromyalgia"},
                  {"cause": "muscular dystrophy"}]),
}


def sample_settings(bp, asked, n_random: int = 6, seed: int = 0) -> list[dict]:
    """The lessons' settings plus ``n_random`` grid points drawn with a fixed seed."""
    rng = random.Random(seed)
    settings = [{c.name: s.get(c.name, c.default) for c in bp.controls} for s in asked]
    return settings + [bp.setting(pt) for pt in rng.sample(bp.points(), n_random)]
