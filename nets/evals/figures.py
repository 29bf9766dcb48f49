"""PNG figures of images and codes (matplotlib, Agg backend): grids, rows to compare, 2-D scatters."""

import numpy as np

from nets.training.workdir import pyplot, save_figure

plt = pyplot()


def tile(images_NxHxWxC: np.ndarray, columns: int, pad: int = 1) -> np.ndarray:
  """Images side by side, `columns` a row, `pad` pixels of background (0) between them: a 2-D array."""
  images = np.asarray(images_NxHxWxC, np.float32)[..., 0]
  n, h, w = images.shape
  rows = -(-n // columns)
  grid = np.zeros((rows * (h + pad) - pad, columns * (w + pad) - pad), np.float32)
  for i, image in enumerate(images):
    r, c = divmod(i, columns)
    grid[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = image
  return grid


def save_grid(path: str, images_NxHxWxC: np.ndarray, columns: int, title: str = "") -> str:
  """A grid of grey images in [0, 1] (dark strokes on white), with an optional title."""
  grid = tile(images_NxHxWxC, columns)
  width = min(8.0, max(3.0, grid.shape[1] / 25))
  fig, ax = plt.subplots(figsize=(width, width * grid.shape[0] / grid.shape[1] + 0.4))
  ax.imshow(1.0 - grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
  ax.set_axis_off()
  if title:
    ax.set_title(title, fontsize=9)
  return save_figure(fig, path, dpi=100)


def save_rows(path: str, rows: dict[str, np.ndarray], title: str = "") -> str:
  """Labelled rows of images one above the other: originals, reconstructions, ... ."""
  n = max(len(v) for v in rows.values())
  fig, axes = plt.subplots(len(rows), 1, figsize=(0.6 * n, 0.75 * len(rows) + 0.3), squeeze=False)
  for ax, (label, images) in zip(axes[:, 0], rows.items(), strict=True):
    ax.imshow(1.0 - tile(images, n), cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
  if title:
    axes[0, 0].set_title(title, fontsize=10)
  return save_figure(fig, path, dpi=100)


def save_scatter(path: str, codes_Nx2: np.ndarray, labels_N: np.ndarray, title: str = "") -> str:
  """2-D codes as points coloured by their class, with a legend."""
  fig, ax = plt.subplots(figsize=(6, 5))
  points = ax.scatter(codes_Nx2[:, 0], codes_Nx2[:, 1], c=labels_N, cmap="tab10", s=6, alpha=0.8)
  ax.legend(*points.legend_elements(), title="digit", fontsize=8, loc="best", markerscale=0.8)
  ax.set_xlabel("z[0]")
  ax.set_ylabel("z[1]")
  if title:
    ax.set_title(title, fontsize=10)
  return save_figure(fig, path, dpi=100)


def save_curve(path: str, history: list[dict], key: str, levels: dict[str, float], title: str = "") -> str:
  """history[i][key] against epoch (log scale), with labelled horizontal reference levels."""
  fig, ax = plt.subplots(figsize=(6, 4))
  ax.plot([r["epoch"] for r in history], [r[key] for r in history], marker=".", label=key)
  for (label, value), style in zip(levels.items(), ("--", ":", "-.", "--"), strict=False):
    ax.axhline(value, linestyle=style, color="gray", label=f"{label} = {value:.3g}")
  ax.set_yscale("log")
  ax.set_xlabel("epoch")
  ax.set_ylabel(key)
  ax.legend(fontsize=8)
  if title:
    ax.set_title(title, fontsize=10)
  return save_figure(fig, path, dpi=100)
