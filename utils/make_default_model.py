#!/usr/bin/python3
"""Build dsc's built-in default model: a teacher/student distillation pair on
scikit-learn's bundled "digits" set.

What it makes (default folder: <repo>/models/default, change with --out):
  distill.onnx   ONE graph holding teacher + student + distillation loss.
                 inputs : image  float32 [N,1,16,16], labels int64 [N]
                 outputs: teacher_logits [N,10], student_logits [N,10],
                          student_soft = softmax(student_logits / T) [N,10],
                          loss (scalar) =
                            alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T))
                            + (1 - alpha) * cross_entropy(student_logits, labels)
                          with T = 4.0, alpha = 0.7, KL averaged over the batch.
  student.onnx   the student alone   (input image, output logits)
  teacher.onnx   the teacher alone   (input image, output logits)
  digits_test/NNNN/{image.npy,label.npy}   the 450 test samples, in test order
  digits_calib/NNNN/{image.npy,label.npy}  100 samples of the TRAIN split,
                 for int8 calibration
  README.md      what the files are, the command, the accuracies measured here

Why: the README's first command demonstrates, on this model, the three things
dsc does: distillation folding (keep the student, drop teacher and loss),
channel pruning (the student was trained with an L1 penalty on its BatchNorm
gammas -- "network slimming" -- so many of its channels have |gamma| ~ 0 and
can be removed) and int8 quantization (calibrated on digits_calib, checked on
digits_test). It is small (well under 2 MB of ONNX together) so it can be
committed, and it needs no download: sklearn ships the data.

Data: sklearn.datasets.load_digits (1797 8x8 grey images, 10 classes), pixel
values divided by 16 to lie in [0, 1], upsampled to 16x16 by NEAREST-neighbour
(each pixel repeated 2x2, exact, no interpolation), split 75/25 stratified
with random_state=0 (1347 train, 450 test).

Training: teacher with cross-entropy; student by distillation (loss above,
teacher logits precomputed, no augmentation) plus an L1 penalty on all its BN
gammas (network slimming) so that many channels end with |gamma| ~ 0. bn1 and
bn2 are each followed by conv + BatchNorm, which makes their (gamma, beta)
scale a free direction; plain L1 just shrinks those layers uniformly (tried,
lambda 1e-3..1e-2: their largest gamma fell to ~0.2 while at most a few
reached 1e-2; pushed further, an absolute |gamma| threshold would cut whole
layers). So their scale is pinned at max|gamma| = 1 after every step by an
exact, function-preserving rescale (see pin_bn_scale), and L1 then zeroes the
weak channels. SGD momentum 0.9, one-cycle LR 0.05, batch 32.
The script also prunes the student itself in PyTorch (prune_student: drop
|gamma| < 1e-2, fold the dropped channels' constant relu(beta) into the next
layer's bias) and reports that model's accuracy, as a reference for dsc.

Export notes (torch 1.13): the models are put in eval() and exported with
training=TrainingMode.PRESERVE and do_constant_folding=False. TrainingMode.EVAL
is NOT used because torch 1.13 then runs its ONNX "eval peephole" pass, which
fuses every Conv+BatchNormalization pair into the Conv whatever
do_constant_folding says; PRESERVE on an eval() model keeps the
BatchNormalization nodes, in inference form (one output, training_mode 0).
The script checks that they are there.

Deterministic: seeds everywhere, one thread, deterministic algorithms; running
it twice gives byte-identical ONNX files on the same machine. On other CPUs
float results can differ in the last bits, and since the training is long
and nonlinear, a retrained model there may differ more than that: the
committed files are the reference.

Usage:  /usr/bin/python3 utils/make_default_model.py [--out DIR]
"""

import argparse
import collections
import os
import random
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 0
T = 4.0
ALPHA = 0.7
IMG = 16
OPSET = 13

# Training hyper-parameters (tuned on this machine, see README in models/default).
TEACHER_EPOCHS = 30
STUDENT_EPOCHS = 60
BATCH = 32
LR = 0.05
MOMENTUM = 0.9
WEIGHT_DECAY = 5e-4      # on conv/linear weights only, not on BN params
# Network-slimming penalty L1_GAMMA * sum|gamma| on the student BN gammas.
# Much larger than the 1e-4..1e-5 of the network-slimming paper: this run has
# only ~2.5k SGD steps (the paper ~60k) and the gammas of bn1/bn2 are pinned
# at max|gamma| = 1 (see pin_bn_scale). Tuned: 3e-2 leaves most gammas of
# bn1/bn2 at 0.05..0.2; 1e-1 costs accuracy; 8e-2 zeroes about half.
L1_GAMMA = 8e-2
PRUNE_THRESH = 1e-2      # |gamma| below this counts as prunable


def seed_all(seed=SEED):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# ----------------------------------------------------------------------------
# data
# ----------------------------------------------------------------------------
def load_data():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    d = load_digits()
    x = d.images.astype(np.float32) / 16.0                     # [n,8,8] in [0,1]
    r = IMG // 8
    x = x.repeat(r, axis=1).repeat(r, axis=2)                  # nearest -> 16x16
    x = x[:, None, :, :].astype(np.float32)                    # [n,1,16,16]
    y = d.target.astype(np.int64)
    xtr, xte, ytr, yte = train_test_split(
        x, y, test_size=0.25, stratify=y, random_state=0)
    return (np.ascontiguousarray(xtr), ytr, np.ascontiguousarray(xte), yte)


# ----------------------------------------------------------------------------
# models
# ----------------------------------------------------------------------------
class CNN(nn.Module):
    """conv3x3(c1)+BN+ReLU, conv3x3(c2)+BN+ReLU+maxpool2, conv3x3(c3)+BN+ReLU,
    global average pool, Linear(c3 -> 10). Padding 1 everywhere."""

    def __init__(self, c1, c2, c3, ncls=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(c1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(c2)
        self.pool = nn.MaxPool2d(2)
        self.conv3 = nn.Conv2d(c2, c3, 3, padding=1)
        self.bn3 = nn.BatchNorm2d(c3)
        self.fc = nn.Linear(c3, ncls)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.pool(F.relu(self.bn2(self.conv2(x))))
        x = F.relu(self.bn3(self.conv3(x)))
        x = x.mean(dim=(2, 3))                  # GAP -> ReduceMean in ONNX
        return self.fc(x)

    def bns(self):
        return [("bn1", self.bn1), ("bn2", self.bn2), ("bn3", self.bn3)]


def make_teacher():
    return CNN(32, 64, 64)


def make_student():
    return CNN(16, 32, 32)


def distill_loss(t_logits, s_logits, labels, T=T, alpha=ALPHA):
    """alpha*T^2*KL(softmax(t/T) || softmax(s/T)) + (1-alpha)*CE(s, labels).
    KL written out (torch 1.13 has no ONNX export for aten::kl_div) and
    averaged over the batch, i.e. F.kl_div(..., reduction='batchmean')."""
    p_log = F.log_softmax(t_logits / T, dim=1)
    q_log = F.log_softmax(s_logits / T, dim=1)
    kl = (p_log.exp() * (p_log - q_log)).sum(dim=1).mean()
    ce = F.cross_entropy(s_logits, labels)
    return kl * (T * T) * alpha + (1.0 - alpha) * ce


class Distill(nn.Module):
    def __init__(self, teacher, student):
        super().__init__()
        self.teacher = teacher
        self.student = student

    def forward(self, image, labels):
        t = self.teacher(image)
        s = self.student(image)
        soft = F.softmax(s / T, dim=1)
        loss = distill_loss(t, s, labels)
        return t, s, soft, loss


# ----------------------------------------------------------------------------
# training
# ----------------------------------------------------------------------------
def make_opt(model, epochs, steps_per_epoch):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if (p.ndim == 1) else decay).append(p)
    opt = torch.optim.SGD([{"params": decay, "weight_decay": WEIGHT_DECAY},
                           {"params": no_decay, "weight_decay": 0.0}],
                          lr=LR, momentum=MOMENTUM)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=LR, epochs=epochs, steps_per_epoch=steps_per_epoch,
        pct_start=0.2)
    return opt, sched


def batches(n, gen):
    perm = torch.randperm(n, generator=gen)
    for i in range(0, n, BATCH):
        yield perm[i:i + BATCH]


@torch.no_grad()
def accuracy(model, x, y):
    model.eval()
    pred = model(x).argmax(1)
    return (pred == y).float().mean().item()


def train_teacher(xtr, ytr, xte, yte):
    seed_all(SEED)
    model = make_teacher()
    n = xtr.shape[0]
    spe = (n + BATCH - 1) // BATCH
    opt, sched = make_opt(model, TEACHER_EPOCHS, spe)
    gen = torch.Generator().manual_seed(SEED + 1)
    for ep in range(TEACHER_EPOCHS):
        model.train()
        tot = 0.0
        for idx in batches(n, gen):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        if ep % 5 == 4 or ep == TEACHER_EPOCHS - 1:
            print(f"  teacher ep {ep + 1:3d} loss {tot / n:.4f} "
                  f"test acc {accuracy(model, xte, yte):.4f}", flush=True)
    model.eval()
    return model


@torch.no_grad()
def add_l1_grad(model, lam):
    """Network slimming: add the subgradient of lam * sum|gamma| to the
    gradients of the student's BN gammas. In bn1 and bn2 the largest gamma is
    left out: those layers' scale is pinned by pin_bn_scale (max|gamma| = 1),
    so pushing their largest gamma down would only be undone by the rescale
    (and inflate the betas)."""
    for name, bn in model.bns():
        s = torch.sign(bn.weight)
        if name in ("bn1", "bn2"):
            s[bn.weight.abs().argmax()] = 0
        bn.weight.grad.add_(s, alpha=lam)


@torch.no_grad()
def pin_bn_scale(model):
    """bn1 and bn2 are each followed by ReLU (+maxpool), a conv and another
    BatchNorm, so the network's function does not change if gamma, beta of
    the first BN, the next conv's bias and the next BN's running mean are
    multiplied by c > 0 and its running var by c^2 (the next BN renormalises;
    only its eps sees the difference). With plain L1 the whole layer then
    just slides down that free direction: all gammas shrink together, none
    reaches zero first, and an absolute |gamma| threshold would end up cutting
    the whole layer. So after every step the scale is pinned at
    max|gamma| = 1 (function unchanged), which leaves L1 only the useful job:
    driving the weak channels' gammas to ~0."""
    for bn_a, conv_b, bn_b in ((model.bn1, model.conv2, model.bn2),
                               (model.bn2, model.conv3, model.bn3)):
        c = 1.0 / bn_a.weight.abs().max().clamp_min(1e-12)
        bn_a.weight.mul_(c)
        bn_a.bias.mul_(c)
        conv_b.bias.mul_(c)
        bn_b.running_mean.mul_(c)
        bn_b.running_var.mul_(c * c)


def train_student(teacher, xtr, ytr, xte, yte):
    seed_all(SEED + 2)
    model = make_student()
    pin_bn_scale(model)
    teacher.eval()
    with torch.no_grad():                       # no augmentation: precompute
        t_all = teacher(xtr)
    n = xtr.shape[0]
    spe = (n + BATCH - 1) // BATCH
    opt, sched = make_opt(model, STUDENT_EPOCHS, spe)
    gen = torch.Generator().manual_seed(SEED + 3)
    gammas = [bn.weight for _, bn in model.bns()]
    for ep in range(STUDENT_EPOCHS):
        model.train()
        tot = 0.0
        for idx in batches(n, gen):
            loss = distill_loss(t_all[idx], model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            add_l1_grad(model, L1_GAMMA)
            opt.step()
            pin_bn_scale(model)
            sched.step()
            tot += loss.item() * len(idx)
        if ep % 10 == 9 or ep == STUDENT_EPOCHS - 1:
            small = sum(int((g.abs() < PRUNE_THRESH).sum()) for g in gammas)
            print(f"  student ep {ep + 1:3d} loss {tot / n:.4f} "
                  f"test acc {accuracy(model, xte, yte):.4f} "
                  f"|gamma|<{PRUNE_THRESH:g}: {small}/"
                  f"{sum(g.numel() for g in gammas)}", flush=True)
    model.eval()
    return model


@torch.no_grad()
def prune_student(model, thresh=PRUNE_THRESH, fold=True):
    """Reference channel pruning in PyTorch, to compare dsc's result with:
    drop every channel whose |gamma| < thresh. Such a channel's BN output is
    ~beta whatever its input, so after ReLU it is the constant relu(beta);
    that constant is folded into the next layer's bias (exact for bn3 ->
    global average pool -> Linear; for bn1/bn2 -> conv it is exact except at
    the image border, where the conv's zero padding sees 0, not the
    constant). fold=False just drops them (to show that folding matters).
    Returns the smaller CNN."""
    keep = [(bn.weight.abs() >= thresh).nonzero().flatten()
            for _, bn in model.bns()]
    p = CNN(*[len(k) for k in keep]).eval()
    convs = [(model.conv1, p.conv1), (model.conv2, p.conv2),
             (model.conv3, p.conv3)]
    bns = [(model.bn1, p.bn1), (model.bn2, p.bn2), (model.bn3, p.bn3)]
    for i, ((c, pc), (b, pb)) in enumerate(zip(convs, bns)):
        k_out = keep[i]
        w = c.weight[k_out]
        if i > 0:
            w = w[:, keep[i - 1]]
        pc.weight.copy_(w)
        pc.bias.copy_(c.bias[k_out])
        for name in ("weight", "bias", "running_mean", "running_var"):
            getattr(pb, name).copy_(getattr(b, name)[k_out])
    p.fc.weight.copy_(model.fc.weight[:, keep[2]])
    p.fc.bias.copy_(model.fc.bias)
    if not fold:
        return p
    # fold the dropped channels' constants into the next layer's bias
    nxt = [(model.conv2, p.conv2, keep[1]), (model.conv3, p.conv3, keep[2])]
    for i, (_, bn) in enumerate(model.bns()):
        drop = (bn.weight.abs() < thresh).nonzero().flatten()
        const = F.relu(bn.bias[drop])
        if i < 2:
            c, pc, k_out = nxt[i]
            pc.bias.add_((c.weight[k_out][:, drop].sum(dim=(2, 3)) * const).sum(1))
        else:
            p.fc.bias.add_((model.fc.weight[:, drop] * const).sum(1))
    return p


# ----------------------------------------------------------------------------
# export
# ----------------------------------------------------------------------------
def export(model, args, path, input_names, output_names, dynamic_axes):
    import onnx
    model.eval()
    with torch.no_grad():
        torch.onnx.export(
            model, args, path, opset_version=OPSET,
            # PRESERVE on an eval() model: inference-form BatchNormalization
            # stays in the graph. EVAL would fuse it into the Conv (see header).
            training=torch.onnx.TrainingMode.PRESERVE,
            do_constant_folding=False,
            input_names=input_names, output_names=output_names,
            dynamic_axes=dynamic_axes)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    counts = collections.Counter(n.op_type for n in m.graph.node)
    for n in m.graph.node:
        if n.op_type == "BatchNormalization":
            tm = [a.i for a in n.attribute if a.name == "training_mode"]
            assert len(n.output) == 1 and tm in ([], [0]), \
                f"{path}: BatchNormalization not in inference form"
    return m, counts


def param_stats(model):
    n = sum(p.numel() for p in model.parameters())
    nbytes = sum(p.numel() * p.element_size() for p in model.parameters())
    nbuf = sum(b.numel() * b.element_size() for name, b in model.named_buffers()
               if not name.endswith("num_batches_tracked"))
    return n, nbytes, nbuf


def write_folder(root, xs, ys):
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root)
    for i in range(xs.shape[0]):
        d = os.path.join(root, f"{i:04d}")
        os.makedirs(d)
        np.save(os.path.join(d, "image.npy"),
                xs[i:i + 1].astype(np.float32))             # [1,1,16,16]
        np.save(os.path.join(d, "label.npy"),
                np.array([ys[i]], dtype=np.int64))           # [1]


def dir_size(root):
    tot = 0
    for dp, _, fs in os.walk(root):
        for f in fs:
            tot += os.path.getsize(os.path.join(dp, f))
    return tot


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(repo, "models", "default"),
                    help="output folder (default: <repo>/models/default)")
    ap.add_argument("--l1", type=float, default=L1_GAMMA,
                    help=f"L1 penalty on student BN gammas (default {L1_GAMMA:g}; "
                         "for experiments, the committed model uses the default)")
    a = ap.parse_args()
    out = a.out
    globals()["L1_GAMMA"] = a.l1
    os.makedirs(out, exist_ok=True)

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    seed_all(SEED)
    t0 = time.time()

    xtr_np, ytr_np, xte_np, yte_np = load_data()
    print(f"data: train {xtr_np.shape} test {xte_np.shape} "
          f"(digits 8x8 -> 16x16 nearest, /16 -> [0,1])")
    xtr, ytr = torch.from_numpy(xtr_np), torch.from_numpy(ytr_np)
    xte, yte = torch.from_numpy(xte_np), torch.from_numpy(yte_np)

    print("training teacher ...", flush=True)
    teacher = train_teacher(xtr, ytr, xte, yte)
    print(f"  ({time.time() - t0:.0f} s)")
    print("training student by distillation + L1 on BN gammas ...", flush=True)
    student = train_student(teacher, xtr, ytr, xte, yte)
    print(f"  ({time.time() - t0:.0f} s)")

    acc_t = accuracy(teacher, xte, yte)
    acc_s = accuracy(student, xte, yte)

    # gamma sparsity summary
    sparsity = []
    for name, bn in student.bns():
        g = bn.weight.detach().abs()
        sparsity.append((name, int((g < PRUNE_THRESH).sum()), g.numel(),
                         float(g.min()), float(g.max())))

    pruned = prune_student(student)
    pruned_ch = [pruned.conv1.out_channels, pruned.conv2.out_channels,
                 pruned.conv3.out_channels]
    acc_p = accuracy(pruned, xte, yte)
    acc_nofold = accuracy(prune_student(student, fold=False), xte, yte)
    n_pos = sum(int(((bn.weight.abs() < PRUNE_THRESH) & (bn.bias > 0)).sum())
                for _, bn in student.bns())
    pp, pb, _ = param_stats(pruned)

    # --- export -------------------------------------------------------------
    teacher.eval()
    student.eval()
    wrapper = Distill(teacher, student).eval()
    ex_img = xte[:2].clone()
    ex_lab = yte[:2].clone()
    dist_path = os.path.join(out, "distill.onnx")
    _, dcounts = export(
        wrapper, (ex_img, ex_lab), dist_path,
        ["image", "labels"],
        ["teacher_logits", "student_logits", "student_soft", "loss"],
        {"image": {0: "N"}, "labels": {0: "N"}, "teacher_logits": {0: "N"},
         "student_logits": {0: "N"}, "student_soft": {0: "N"}})
    _, scounts = export(student, (ex_img,), os.path.join(out, "student.onnx"),
                        ["image"], ["logits"],
                        {"image": {0: "N"}, "logits": {0: "N"}})
    _, tcounts = export(teacher, (ex_img,), os.path.join(out, "teacher.onnx"),
                        ["image"], ["logits"],
                        {"image": {0: "N"}, "logits": {0: "N"}})
    assert dcounts["BatchNormalization"] == 6, dcounts
    assert scounts["BatchNormalization"] == 3, scounts
    assert tcounts["BatchNormalization"] == 3, tcounts
    loss_ops = {k: v for k, v in dcounts.items()
                if k in ("SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss")}
    assert loss_ops, f"no loss op in distill.onnx: {dcounts}"

    # PyTorch reference values of the distill outputs on the whole test set
    with torch.no_grad():
        t_l, s_l, s_soft, loss = wrapper(xte, yte)
        ref_loss = (ALPHA * T * T * F.kl_div(F.log_softmax(s_l / T, 1),
                                             F.softmax(t_l / T, 1),
                                             reduction="batchmean")
                    + (1 - ALPHA) * F.cross_entropy(s_l, yte))
    assert abs(float(loss) - float(ref_loss)) < 1e-5, (loss, ref_loss)

    # --- data folders ---------------------------------------------------------
    write_folder(os.path.join(out, "digits_test"), xte_np, yte_np)
    write_folder(os.path.join(out, "digits_calib"), xtr_np[:100], ytr_np[:100])

    # --- summary ----------------------------------------------------------------
    onnx_files = ["distill.onnx", "student.onnx", "teacher.onnx"]
    sizes = {f: os.path.getsize(os.path.join(out, f)) for f in onnx_files}
    tp, tb, tbuf = param_stats(teacher)
    sp, sb, sbuf = param_stats(student)
    print()
    print("=" * 70)
    print(f"teacher: {tp} params, {tb} weight bytes (+{tbuf} B BN running stats)")
    print(f"student: {sp} params, {sb} weight bytes (+{sbuf} B BN running stats)"
          f"  = {sp / tp:.3f} of the teacher")
    print(f"test accuracy (PyTorch, {len(yte_np)} samples): "
          f"teacher {acc_t * 100:.2f}%  student {acc_s * 100:.2f}%")
    print(f"distill loss on the test set (PyTorch): {float(loss):.6f}")
    print(f"student BN channels with |gamma| < {PRUNE_THRESH:g} "
          f"(L1 lambda {L1_GAMMA:g}):")
    for name, k, c, gmin, gmax in sparsity:
        print(f"  {name}: {k:3d}/{c:3d}  (|gamma| min {gmin:.2e} max {gmax:.3f})")
    tot_k = sum(s[1] for s in sparsity)
    tot_c = sum(s[2] for s in sparsity)
    print(f"  total: {tot_k}/{tot_c}")
    print(f"student pruned in PyTorch (drop |gamma| < {PRUNE_THRESH:g}, fold "
          f"relu(beta) into next bias): channels {pruned_ch}, {pp} params, "
          f"{pb} weight bytes, test accuracy {acc_p * 100:.2f}%; without the "
          f"folding {acc_nofold * 100:.2f}% ({n_pos} dropped channels have "
          f"beta > 0)")
    print("distill.onnx op types:",
          ", ".join(f"{k} {v}" for k, v in sorted(dcounts.items())))
    print("student.onnx op types:",
          ", ".join(f"{k} {v}" for k, v in sorted(scounts.items())))
    print("onnx sizes:", ", ".join(f"{f} {s} B" for f, s in sizes.items()),
          f"total {sum(sizes.values())} B")
    assert sum(sizes.values()) < 2 * 1024 * 1024
    print(f"digits_test: {len(yte_np)} samples, "
          f"{dir_size(os.path.join(out, 'digits_test'))} B; digits_calib: 100 "
          f"samples, {dir_size(os.path.join(out, 'digits_calib'))} B "
          f"(calib classes {np.bincount(ytr_np[:100], minlength=10).tolist()})")
    print(f"time {time.time() - t0:.0f} s")

    sp_lines = "\n".join(f"| {n} | {c} | {k} |" for n, k, c, _, _ in sparsity)
    readme = f"""# Default model: digits teacher/student distillation

dsc's built-in demo model. Made by `utils/make_default_model.py`, from the
repo root:

    /usr/bin/python3 utils/make_default_model.py

(torch {torch.__version__.split('+')[0]}, one thread, seeded; a rerun on the
same machine gives the same weights. Results can differ in the last bits on
other CPUs.)

| file | what |
| --- | --- |
| `distill.onnx` | teacher + student + distillation loss in one graph. Inputs `image` float32 [N,1,16,16], `labels` int64 [N]. Outputs `teacher_logits`, `student_logits`, `student_soft` = softmax(student/T), `loss` = {ALPHA}*T^2*KL(softmax(teacher/T) &#124;&#124; softmax(student/T)) + {1 - ALPHA:.1f}*CE(student, labels), T = {T}, KL averaged over the batch. |
| `student.onnx` | the student alone: `image` -> `logits` [N,10] |
| `teacher.onnx` | the teacher alone: `image` -> `logits` [N,10] |
| `digits_test/NNNN/` | the {len(yte_np)} test samples in order: `image.npy` float32 [1,1,16,16], `label.npy` int64 [1] |
| `digits_calib/NNNN/` | 100 samples from the training split (for int8 calibration), same layout |

Data: scikit-learn's bundled digits (8x8, 10 classes), pixels / 16 -> [0,1],
upsampled to 16x16 by nearest neighbour (2x2 repeat), 75/25 stratified split
with random_state=0 (1347 train / 450 test).

Models (3x3 convs, padding 1, BatchNorm + ReLU, maxpool after the 2nd conv,
global average pool, Linear 10): teacher 32-64-64 channels, {tp} parameters
({tb} bytes); student 16-32-32 channels, {sp} parameters ({sb} bytes).
The teacher is trained with cross-entropy, the student by distillation
(T = {T}, alpha = {ALPHA}) with an L1 penalty ({L1_GAMMA:g}) on its BatchNorm
gammas (network slimming), so that channel pruning has channels to remove;
the scale of bn1 and bn2 (free, since a conv + BatchNorm follows each) is
pinned at max|gamma| = 1 during training so that the penalty zeroes channels
instead of shrinking whole layers.
BatchNormalization nodes are kept in the graphs (exported from eval() models
with TrainingMode.PRESERVE, no constant folding).

Test accuracy measured in PyTorch on the {len(yte_np)} test samples:
teacher {acc_t * 100:.2f}%, student {acc_s * 100:.2f}%.
Reference pruning in PyTorch (drop the channels with |gamma| < {PRUNE_THRESH:g},
fold each dropped channel's constant relu(beta) into the next layer's bias,
which is exact except at the image border of the next conv): channels
{pruned_ch[0]}-{pruned_ch[1]}-{pruned_ch[2]}, {pp} parameters, test accuracy {acc_p * 100:.2f}%.
Dropping those channels without the bias folding gives {acc_nofold * 100:.2f}%:
{n_pos} of them have beta > 0, i.e. output a non-zero constant.

Student channels with |gamma| < {PRUNE_THRESH:g}:

| layer | channels | \\|gamma\\| < {PRUNE_THRESH:g} |
| --- | --- | --- |
{sp_lines}
"""
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(readme)
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
