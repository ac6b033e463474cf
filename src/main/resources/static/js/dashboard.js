// The fleet dashboard's charts, drawn with Chart.js (served by Lockkeeper from /webjars) from the
// page's JSON (the URL is the script tag's data-source). No inline script: the Content-Security-Policy
// allows scripts from Lockkeeper itself only.
(function () {
  'use strict';
  var script = document.getElementById('dashboard-script');
  if (!script || typeof Chart === 'undefined') {
    return;
  }
  var palette = ['#0b5cad', '#b3261e', '#1e6b35', '#8a5a00', '#6b3fa0', '#00707a', '#4a5563', '#c2185b'];
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 14;

  function coverage(data) {
    var c = data.coverage;
    new Chart(document.getElementById('coverage-chart'), {
      type: 'doughnut',
      data: {
        labels: ['Verified escrowed key', 'Escrowed, not verified', 'No escrowed active key'],
        datasets: [{
          data: [c.verified, c.withEscrowedKey - c.verified, c.encryptedVolumes - c.withEscrowedKey],
          backgroundColor: ['#1e6b35', '#8a5a00', '#b3261e']
        }]
      },
      options: { aspectRatio: 1.6, plugins: { legend: { position: 'bottom' } } }
    });
  }

  function recoveries(data) {
    var r = data.recoveries;
    new Chart(document.getElementById('recoveries-chart'), {
      type: 'bar',
      data: {
        labels: r.weeks,
        datasets: r.byRootCause.map(function (s, i) {
          return { label: s.rootCause, data: s.counts, backgroundColor: palette[i % palette.length] };
        })
      },
      options: {
        aspectRatio: 1.6,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }

  function disclosed(data) {
    var buckets = { '0–7 days': 0, '8–30 days': 0, '31–90 days': 0, 'over 90 days': 0 };
    data.disclosed.forEach(function (d) {
      var age = d.ageDays === null ? 0 : d.ageDays;
      var key = age <= 7 ? '0–7 days' : age <= 30 ? '8–30 days' : age <= 90 ? '31–90 days' : 'over 90 days';
      buckets[key] += 1;
    });
    new Chart(document.getElementById('disclosed-chart'), {
      type: 'bar',
      data: {
        labels: Object.keys(buckets),
        datasets: [{ label: 'Disclosed keys', data: Object.values(buckets), backgroundColor: '#b3261e' }]
      },
      options: {
        aspectRatio: 1.6,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } }
      }
    });
  }

  fetch(script.getAttribute('data-source'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json();
    })
    .then(function (data) {
      coverage(data);
      recoveries(data);
      disclosed(data);
      document.body.setAttribute('data-charts', 'drawn');
    })
    .catch(function () {
      document.body.setAttribute('data-charts', 'failed');
    });
}());
