"""The optional segmented internode of the motor axon (issue-17 exploration, axon6).

``motor_axon.INTERNODE_SEGMENTS`` = 1 (the course model) is the lumped internode; N > 1 splits it
into a sealed chain of N compartments. The chain is checked against an independent calculation:
the linear circuit's step response from the eigenvalues of its matrices (numpy.linalg).
"""

import numpy as np
import pytest

from widgets.models import motor_axon as ma

PASSIVE = {"NaT": 0.0, "NaP": 0.0, "Ks": 0.0, "Kf": 0.0, "HCN": 0.0}


def _chain(monkeypatch, n, **chain):
    monkeypatch.setattr(ma, "INTERNODE_SEGMENTS", n)
    monkeypatch.setattr(ma, "INTERNODE_CHAIN", {"c_fraction": None, "g_fraction": None,
                                                "axial_nS": None, **chain})
    monkeypatch.setattr(ma, "_REST_CACHE", type(ma._REST_CACHE)())


def test_course_model_has_the_lumped_internode():
    assert ma.INTERNODE_SEGMENTS == 1
    assert ma.kernel_params().shape == (ma.P_NPAR,)
    assert ma._rest_state(ma.kernel_params()).shape == (ma.N_STATE,)


def _linear_step_response(p, v0, n, amp_pA, times_ms):
    """Node and segment potentials after a current step at the node, for the circuit linearised
    at the rest ``v0`` (one potential per compartment), by eigen-decomposition of C^-1 G."""
    dk_node = ma._ghk_raw(v0[0] + 1e-4, p[ma.P_KO]) - ma._ghk_raw(v0[0] - 1e-4, p[ma.P_KO])
    g_node = (p[ma.P_GLNA] + p[ma.P_GLK] * dk_node / 2e-4 / ma.GHK_NORM + p[ma.P_GCL])
    ax = p[ma.P_NPAR + 1:ma.P_NPAR + n]
    c_seg = p[ma.P_NPAR + n:ma.P_NPAR + 2 * n]
    f_seg = p[ma.P_NPAR + 2 * n:ma.P_NPAR + 3 * n]
    size = n + 1
    G = np.zeros((size, size))
    C = np.zeros(size)
    C[0] = p[ma.P_CN]
    G[0, 0] = g_node
    for k in range(n):
        vk = v0[k + 1]
        dk = (ma._ghk_raw(vk + 1e-4, p[ma.P_KO]) - ma._ghk_raw(vk - 1e-4, p[ma.P_KO])) / 2e-4
        G[k + 1, k + 1] = f_seg[k] * (p[ma.P_GLNAI] + p[ma.P_GLKI] * dk / ma.GHK_NORM
                                      + p[ma.P_GCLI])
        C[k + 1] = c_seg[k]
    couplings = [p[ma.P_GBB], *ax]
    for k, g in enumerate(couplings):  # compartment k <-> k + 1
        G[k, k] += g
        G[k + 1, k + 1] += g
        G[k, k + 1] -= g
        G[k + 1, k] -= g
    A = G / C[:, None]  # dV/dt = -A V + b
    b = np.zeros(size)
    b[0] = amp_pA / C[0]
    lam, vec = np.linalg.eig(A)
    coef = np.linalg.solve(vec, np.linalg.solve(A, b))  # steady state in eigen coordinates
    out = [np.real(vec @ (coef * (1.0 - np.exp(-lam * t)))) for t in times_ms]
    return np.array(out)


def test_passive_chain_charges_as_the_linear_circuit_predicts(monkeypatch):
    # Three unequal segments (capacitance and conductance shares differ, two axial conductances)
    # with every voltage-gated channel off: a small current step at the node must charge node and
    # segments as the linear RC chain does (its eigenvalues and eigenvectors).
    n = 3
    _chain(monkeypatch, n, c_fraction=[0.2, 0.3, 0.5], g_fraction=[0.5, 0.3, 0.2],
           axial_nS=[15.0, 6.0])
    p = ma.kernel_params(None, PASSIVE)
    assert p.shape == (ma.P_NPAR + 1 + (n - 1) + 2 * n,)
    rest = ma._rest_state(p)
    v0 = np.array([rest[0], rest[1], rest[9], rest[13]])
    amp_pA = 10.0
    times = np.array([0.2, 1.0, 3.0, 10.0, 30.0])
    dt = 0.001
    tab = ma._tables(dt)
    got = []
    for stim in (amp_pA, 0.0):  # with the step, and without (any residual drift cancels)
        st = rest.copy()
        rows = []
        t_done = 0.0
        for t in times:
            steps = int(round((t - t_done) / dt))
            on = np.array([-1.0])
            off = np.array([1e9])
            ma._run(p, tab, st, dt, steps, on, off, np.array([stim]), ma._EMPTY_NOISE, 1.0, 0,
                    ma._EMPTY_F, np.empty(2), 2, 0)
            rows.append([st[0], st[1], st[9], st[13]])
            t_done = t
        got.append(np.array(rows))
    deflection = got[0] - got[1]
    expected = _linear_step_response(p, v0, n, amp_pA, times)
    assert expected[-1, 0] > 0.05  # a measurable, still small (linear) deflection, mV
    assert expected[-1, 0] < 2.0
    # the far segment lags the node at first (a chain, not one time constant)
    assert expected[0, 3] < 0.2 * expected[0, 0]
    np.testing.assert_allclose(deflection, expected, rtol=0.01, atol=1e-4)


def test_segments_tied_by_a_huge_axial_conductance_act_as_the_lumped_internode(monkeypatch):
    lumped = (ma.threshold(1.0), ma.threshold(0.2), ma.recovery_cycle([3.0, 6.0, 40.0]),
              ma.resting_potential({"K": 7.0}))
    _chain(monkeypatch, 2, axial_nS=[1e6])
    chained = (ma.threshold(1.0), ma.threshold(0.2), ma.recovery_cycle([3.0, 6.0, 40.0]),
               ma.resting_potential({"K": 7.0}))
    assert chained[0] == pytest.approx(lumped[0], rel=2e-3)
    assert chained[1] == pytest.approx(lumped[1], rel=2e-3)
    np.testing.assert_allclose(chained[2], lumped[2], atol=0.5)
    assert chained[3] == pytest.approx(lumped[3], abs=0.01)


@pytest.mark.parametrize("setting, chain, name", [
    (0, {}, "INTERNODE_SEGMENTS"),
    (2.5, {}, "INTERNODE_SEGMENTS"),
    (ma.MAX_INTERNODE_SEGMENTS + 1, {}, "INTERNODE_SEGMENTS"),
    (2, {"c_fraction": [0.5, 0.6]}, "c_fraction"),
    (2, {"g_fraction": [1.0]}, "g_fraction"),
    (3, {"axial_nS": [10.0, -1.0]}, "axial_nS"),
    (3, {"axial_nS": [10.0]}, "axial_nS"),
])
def test_bad_internode_settings_raise(monkeypatch, setting, chain, name):
    _chain(monkeypatch, setting, **chain)
    with pytest.raises(ValueError, match=name):
        ma.kernel_params()
