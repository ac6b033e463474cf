// Checks a read-back of the recovery password block by block, as the BitLocker recovery screen
// does (six digits, a multiple of 11, below 720896), and against the password shown, naming every
// wrong block. Runs on submit (Enter in the box, or the button), so it works by keyboard alone.
(function () {
  'use strict';
  var form = document.getElementById('read-back');
  if (!form) {
    return;
  }
  var input = document.getElementById('read-back-input');
  var result = document.getElementById('read-back-result');
  var shown = Array.prototype.map.call(document.querySelectorAll('#password-blocks .block'), function (b) {
    return b.textContent.trim();
  });

  function blocksOf(text) {
    var trimmed = text.trim();
    if (/^\d{48}$/.test(trimmed)) {
      return trimmed.match(/\d{6}/g);
    }
    return trimmed.length === 0 ? [] : trimmed.split(/[\s-]+/);
  }

  function problem(n, block) {
    if (block === undefined) {
      return 'Block ' + n + ' is missing: type all 8 blocks.';
    }
    if (!/^\d+$/.test(block)) {
      return 'Block ' + n + ' has a character that is not a digit: read block ' + n + ' again.';
    }
    if (block.length !== 6) {
      return 'Block ' + n + ' has ' + block.length + ' digits; each block has 6: read block ' + n + ' again.';
    }
    var value = parseInt(block, 10);
    if (value >= 720896) {
      return 'Block ' + n + ' is out of range, the recovery screen would refuse it: read block ' + n + ' again.';
    }
    if (value % 11 !== 0) {
      return 'Block ' + n + ' fails its checksum, the recovery screen would refuse it: read block ' + n + ' again.';
    }
    if (block !== shown[n - 1]) {
      return 'Block ' + n + ' is a valid block but not block ' + n + ' of this password: read block ' + n + ' again.';
    }
    return null;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var blocks = blocksOf(input.value);
    var problems = [];
    for (var n = 1; n <= 8; n++) {
      var p = problem(n, blocks[n - 1]);
      if (p) {
        problems.push(p);
      }
    }
    if (blocks.length > 8) {
      problems.push('There are ' + blocks.length + ' blocks; the password has 8.');
    }
    result.textContent = '';
    var box = document.createElement('div');
    box.className = problems.length ? 'error' : 'success';
    box.id = problems.length ? 'read-back-errors' : 'read-back-ok';
    if (problems.length) {
      problems.forEach(function (text) {
        var line = document.createElement('p');
        line.textContent = text;
        box.appendChild(line);
      });
    } else {
      var ok = document.createElement('p');
      ok.textContent = 'All 8 blocks match the recovery password.';
      box.appendChild(ok);
    }
    result.appendChild(box);
    input.setAttribute('aria-invalid', problems.length ? 'true' : 'false');
  });
}());
