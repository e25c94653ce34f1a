"""The report's chart palette stays distinguishable for colour-blind readers (issue 13, "Charts").

Neighbouring themes get neighbouring palette colours (the n-th theme of a question the n-th
colour), so every pair of neighbours must stay apart after simulating protanopia, deuteranopia and
tritanopia (Machado, Oliveira & Fernandes 2009, severity 1.0, applied in linear sRGB), and every
colour must stand out from the white page. Distances are CIE76 ΔE in CIELAB (D65); 15 is a clearly
visible difference between two chart marks, 20 against the background.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from fritekst.outputs.report_html import NO_THEME_COLOUR
from fritekst.rules.codebook import PALETTE

ROOT = Path(__file__).resolve().parents[1]
SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE_POINT = np.array([0.95047, 1.0, 1.08883])


def _linear(colour: str) -> np.ndarray:
    rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ np.clip(linear_rgb, 0, 1) / WHITE_POINT
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _seen(colour: str, vision: str) -> np.ndarray:
    return _lab(SIMULATIONS[vision] @ _linear(colour))


@pytest.mark.parametrize("vision", sorted(SIMULATIONS))
def test_neighbouring_theme_colours_stay_apart(vision: str) -> None:
    close = [(PALETTE[i], PALETTE[i + 1], round(float(np.linalg.norm(_seen(PALETTE[i], vision)
                                                                     - _seen(PALETTE[i + 1], vision))), 1))
             for i in range(len(PALETTE) - 1)]
    assert [pair for pair in close if pair[2] < 15] == []


@pytest.mark.parametrize("vision", sorted(SIMULATIONS))
def test_every_theme_colour_stands_out_from_the_page(vision: str) -> None:
    page = _lab(np.ones(3))
    faint = [(c, round(float(np.linalg.norm(_seen(c, vision) - page)), 1)) for c in (*PALETTE, NO_THEME_COLOUR)]
    assert [pair for pair in faint if pair[1] < 20] == []


def test_no_shipped_question_needs_a_colour_twice() -> None:
    # The palette repeats after its last colour; no shipped codebook has that many themes.
    sizes = {path.name: len(yaml.safe_load(path.read_text(encoding="utf-8"))["codes"])
             for path in sorted((ROOT / "codebooks").glob("*.yaml"))}
    assert sizes and max(sizes.values()) <= len(PALETTE), sizes
    assert len(set(PALETTE)) == len(PALETTE)
