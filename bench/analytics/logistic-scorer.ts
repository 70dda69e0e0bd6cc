// A learned next-offer scorer, to see whether one earns its place next to the rules: logistic
// regression on what analytics knows of a person (interests, purchases and how recent they
// are), one model per offer category, trained by gradient descent on one half of the people;
// the threshold that gives the best F1 on that half is then used on the other half.

export type Features = number[];

export interface Scorer {
  weights: number[];
  threshold: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const dot = (w: number[], x: Features) => x.reduce((sum, v, i) => sum + v * w[i]!, 0);

export function trainScorer(
  rows: ReadonlyArray<{ x: Features; y: boolean }>,
  epochs = 300,
  rate = 0.5,
): Scorer {
  const width = rows[0]!.x.length;
  const weights = new Array<number>(width).fill(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradient = new Array<number>(width).fill(0);
    for (const { x, y } of rows) {
      const error = sigmoid(dot(weights, x)) - (y ? 1 : 0);
      x.forEach((v, i) => (gradient[i]! += error * v));
    }
    gradient.forEach((g, i) => (weights[i]! -= (rate * g) / rows.length));
  }
  let best = { threshold: 0.5, f1: -1 };
  for (let threshold = 0.05; threshold < 0.95; threshold += 0.01) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const { x, y } of rows) {
      const predicted = sigmoid(dot(weights, x)) >= threshold;
      if (predicted && y) tp++;
      else if (predicted) fp++;
      else if (y) fn++;
    }
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (f1 > best.f1) best = { threshold, f1 };
  }
  return { weights, threshold: best.threshold };
}

export function suggests(scorer: Scorer, x: Features): boolean {
  return sigmoid(dot(scorer.weights, x)) >= scorer.threshold;
}
