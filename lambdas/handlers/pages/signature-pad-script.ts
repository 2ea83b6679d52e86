import { maxSignaturePoints, maxSignatureStrokes } from '../../domain/execution/sign-off.ts';

/**
 * The sign-off page's one script: draws on the canvas with a finger, pen or mouse (pointer
 * events) and keeps the strokes, as `[x, y]` points in CSS pixels, in the form's hidden
 * `strokes` field. Within the limits the server takes (strokes and points); points closer than
 * two pixels to the last are dropped. Without it the form still works: the typed name signs.
 */
export const signaturePadScript = `(function () {
  var pad = document.getElementById('signature-pad');
  var field = document.getElementById('strokes');
  var clear = document.getElementById('clear-signature');
  if (!pad || !field || !pad.getContext) return;
  var context = pad.getContext('2d');
  var strokes = [];
  var current = null;
  var points = 0;
  var maxStrokes = ${maxSignatureStrokes};
  var maxPoints = ${maxSignaturePoints};
  function draw() {
    var ratio = window.devicePixelRatio || 1;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, pad.width, pad.height);
    context.lineWidth = 2.5;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.strokeStyle = '#111';
    strokes.forEach(function (stroke) {
      context.beginPath();
      context.moveTo(stroke[0][0], stroke[0][1]);
      if (stroke.length === 1) context.lineTo(stroke[0][0] + 0.1, stroke[0][1] + 0.1);
      for (var index = 1; index < stroke.length; index += 1) context.lineTo(stroke[index][0], stroke[index][1]);
      context.stroke();
    });
  }
  function fit() {
    var ratio = window.devicePixelRatio || 1;
    var box = pad.getBoundingClientRect();
    pad.width = Math.round(box.width * ratio);
    pad.height = Math.round(box.height * ratio);
    draw();
  }
  function pointOf(event) {
    var box = pad.getBoundingClientRect();
    return [
      Math.round(Math.min(Math.max(event.clientX - box.left, 0), box.width)),
      Math.round(Math.min(Math.max(event.clientY - box.top, 0), box.height)),
    ];
  }
  function keep() {
    field.value = strokes.length > 0 ? JSON.stringify(strokes) : '';
  }
  pad.addEventListener('pointerdown', function (event) {
    if (strokes.length >= maxStrokes || points >= maxPoints) return;
    event.preventDefault();
    if (pad.setPointerCapture) pad.setPointerCapture(event.pointerId);
    current = [pointOf(event)];
    strokes.push(current);
    points += 1;
    draw();
  });
  pad.addEventListener('pointermove', function (event) {
    if (!current || points >= maxPoints) return;
    var point = pointOf(event);
    var last = current[current.length - 1];
    if (Math.abs(point[0] - last[0]) + Math.abs(point[1] - last[1]) < 2) return;
    current.push(point);
    points += 1;
    draw();
  });
  function end() {
    if (!current) return;
    current = null;
    keep();
  }
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  if (clear) {
    clear.hidden = false;
    clear.addEventListener('click', function () {
      strokes = [];
      points = 0;
      keep();
      draw();
    });
  }
  window.addEventListener('resize', fit);
  fit();
})();`;
