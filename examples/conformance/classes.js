// Classes: private fields and methods, getters/setters, static members and
// static blocks, inheritance with super, instanceof, Symbol.toPrimitive.

class Shape {
  static #count = 0;
  static registry = [];
  static {
    Shape.kind = "shape";
  }
  #id;
  constructor(name) {
    this.name = name;
    this.#id = ++Shape.#count;
    Shape.registry.push(name);
  }
  get id() {
    return this.#id;
  }
  area() {
    return 0;
  }
  describe() {
    return `${this.name}#${this.#id} area=${this.area().toFixed(2)}`;
  }
  static count() {
    return Shape.#count;
  }
  static isShape(x) {
    return #id in x;
  }
}

class Rect extends Shape {
  #w;
  #h;
  constructor(w, h) {
    super("rect");
    this.#w = w;
    this.#h = h;
  }
  get width() {
    return this.#w;
  }
  set width(v) {
    if (v <= 0) throw new RangeError("width must be positive");
    this.#w = v;
  }
  area() {
    return this.#w * this.#h;
  }
  #secret() {
    return `secret of ${this.name}`;
  }
  reveal() {
    return this.#secret();
  }
}

class Square extends Rect {
  constructor(s) {
    super(s, s);
    this.name = "square";
  }
  describe() {
    return `[${super.describe()}]`;
  }
}

class Circle extends Shape {
  constructor(r) {
    super("circle");
    this.r = r;
  }
  area() {
    return Math.PI * this.r ** 2;
  }
  [Symbol.toPrimitive](hint) {
    return hint === "number" ? this.r : `Circle(${this.r})`;
  }
}

// One shape is made at build time; its private state must survive the snapshot.
const prebuilt = new Square(4);

export function main() {
  const shapes = [prebuilt, new Rect(2, 3.5), new Circle(1), new Square(1.5)];
  for (const s of shapes) console.log(s.describe());
  console.log("ids:", shapes.map((s) => s.id).join(","), "count:", Shape.count());
  console.log("registry:", JSON.stringify(Shape.registry), "kind:", Shape.kind);

  const r = shapes[1];
  r.width = 10;
  console.log("after setter:", r.width, r.area());
  try {
    r.width = -1;
  } catch (e) {
    console.log("caught:", e.name, e.message, e instanceof RangeError);
  }
  console.log("reveal:", r.reveal());
  console.log(
    "instanceof:",
    prebuilt instanceof Square,
    prebuilt instanceof Rect,
    prebuilt instanceof Shape,
    shapes[2] instanceof Rect,
  );
  console.log("brand check:", Shape.isShape(prebuilt), Shape.isShape({ id: 1 }));
  console.log("toPrimitive:", `${shapes[2]}`, +shapes[2] + 1);
  console.log("proto chain:", Object.getPrototypeOf(Square.prototype) === Rect.prototype);
  console.log("own keys:", JSON.stringify(Object.keys(prebuilt)));
  console.log("class name:", Square.name, typeof Square, new.target === undefined);
}
