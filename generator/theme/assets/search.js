/* Search page (/cari/): queries the portal's own static index in cari/indeks/ (written by
 * generator/search.py; format 1 is described in ARCHITECTURE.md) entirely in the browser.
 *
 * A query fetches meta.json once, then only the pieces it needs: the dictionary bucket of each
 * word (kamus/), the posting lists of those words in the years that contain all of them
 * (kata/), the lists of the chosen filter values (saring/), and one small file per shown
 * result (dok/). Every file comes from the site itself; nothing is sent anywhere.
 *
 * The query, the filters and the sort are kept in the address, so a search can be bookmarked,
 * shared and restored on load (filter values are the labels shown on the page):
 *   /cari/?q=pembangunan&provinsi=Jawa+Barat&tahun=2024&urut=terbaru
 * The address is updated with history.replaceState (no history entry per keystroke).
 *
 * Needs assets/stemmer-id.js (the Snowball Indonesian stemmer) loaded before this file. */
(function () {
  "use strict";

  // --- Words: exactly generator/search.py terms_of(), or queries miss -----------------------

  var STOPWORDS = new Set(
    (
      "ada adalah agar akan antara atau bagi bahwa dalam dan dapat dari dengan di hingga ini " +
      "itu juga karena ke kepada lebih oleh pada para saat sebagai secara serta sudah telah " +
      "tersebut tidak untuk yaitu yakni yang"
    ).split(" ")
  );
  var MAX_TOKEN = 40;
  var MARKS;
  var TOKEN;
  var WORD_PART; // a token as written in the page text (marks included), for highlighting
  try {
    // Built at run time so that a browser without Unicode property escapes gets a message
    // instead of a syntax error that stops the whole script.
    MARKS = new RegExp("\\p{M}", "gu");
    TOKEN = new RegExp("[\\p{L}\\p{N}]+", "gu");
    WORD_PART = new RegExp("[\\p{L}\\p{N}\\p{M}]+", "gu");
  } catch (error) {
    MARKS = null;
  }
  var Stemmer = window.PortalIndonesianStemmer;
  var stemmer = typeof Stemmer === "function" ? new Stemmer() : null;
  var stemCache = new Map(); // the excerpts stem every word of ten pages: stem each word once

  function stem(token) {
    var stemmed = stemCache.get(token);
    if (stemmed === undefined) {
      stemmed = stemmer.stemWord(token);
      stemCache.set(token, stemmed);
    }
    return stemmed;
  }

  // Python's len() counts code points, a JS string's length counts UTF-16 units.
  function codePoints(token) {
    return token.length < 2 ? token.length : Array.from(token).length;
  }

  /** The stems of `text` in order, duplicates kept (the spec's "Words", steps 1-5). */
  function termsOf(text) {
    var folded = String(text).normalize("NFKD").replace(MARKS, "").toLowerCase();
    var tokens = folded.match(TOKEN) || [];
    var terms = [];
    for (var i = 0; i < tokens.length; i++) {
      var token = tokens[i];
      var length = codePoints(token);
      if (length < 2 || length > MAX_TOKEN || STOPWORDS.has(token)) {
        continue;
      }
      terms.push(stem(token));
    }
    return terms;
  }

  function unique(items) {
    return Array.from(new Set(items));
  }

  // Tests compare this with the Python side (tests/test_search_browser.py).
  window.portalCari = { termsOf: termsOf };

  // --- Index files --------------------------------------------------------------------------

  var FORMAT_VERSION = 1;
  var ALPHABET = "0123456789abcdefghijklmnopqrstuv";
  var RECORD = 15; // TTTT time key + 10-char id + 1-char weight
  var KEY = 14; // time key + id: unique per document, and the order of a list
  var OWN_FILE = /^[a-z0-9]{1,40}$/;
  // Results per page, and the matches read before a page is ranked (and per "Muat lebih
  // banyak" after that): relevance is judged among at least that many of the newest matches.
  // (The browser tests lower both to see older years being read.)
  var PAGE_SIZE = Number(window.PORTAL_CARI_PAGE_SIZE) || 10;
  var RANK_POOL = Number(window.PORTAL_CARI_RANK_POOL) || 100;
  var EXCERPT_WORDS = 30;
  var DEBOUNCE_MS = 300;
  var FILTERS = [
    { name: "wilayah", title: "Wilayah" },
    { name: "provinsi", title: "Provinsi" },
    { name: "kategori", title: "Kategori" },
    { name: "jenis", title: "Jenis" },
    { name: "tahun", title: "Tahun" },
  ];

  // The site root, derived from this script's own address (…/assets/search.js), so result
  // links and the index work when the portal is served below a path.
  var ownScript =
    document.currentScript || document.querySelector('script[src$="assets/search.js"]');
  var siteRoot = new URL("..", ownScript ? ownScript.src : location.href);
  var indexRoot = new URL("cari/indeks/", siteRoot);

  function bucket(stemmed, length) {
    var head = stemmed.slice(0, length);
    return new RegExp("^[a-z0-9]{" + length + "}$").test(head) ? head : "_";
  }

  // Each index file is fetched at most once per page load (a promise per path), so typing,
  // changing a filter or the sort reuses what earlier queries fetched.
  var files = new Map();

  function load(path, asJson) {
    var pending = files.get(path);
    if (!pending) {
      // Every other file is asked for with the index's stamp, so a cache (the browser's or a
      // CDN's) never mixes files of two builds: a rebuild changes the stamp in meta.json.
      var address = new URL(path, indexRoot);
      if (path !== "meta.json" && meta && meta.stempel) {
        address.searchParams.set("v", meta.stempel);
      }
      pending = fetch(address.href, {
        // meta.json says what exists: ask the server whether it changed since the last visit.
        cache: path === "meta.json" ? "no-cache" : "default",
        credentials: "same-origin",
      })
        .then(function (response) {
          if (response.status === 404) {
            return null; // the format's way of saying "nothing here" (e.g. no such kamus bucket)
          }
          if (!response.ok) {
            throw new Error("HTTP " + response.status + " " + path);
          }
          return asJson ? response.json() : response.text();
        })
        .catch(function (error) {
          files.delete(path); // a network failure may pass: let the next query try again
          throw error;
        });
      files.set(path, pending);
    }
    return pending;
  }

  /** A posting list: fixed-width records sorted as strings (newest first). */
  function Postings(text) {
    this.text = typeof text === "string" ? text : "";
    this.count = Math.floor(this.text.length / RECORD);
  }
  Postings.prototype.key = function (i) {
    return this.text.slice(i * RECORD, i * RECORD + KEY);
  };
  Postings.prototype.weight = function (i) {
    return ALPHABET.indexOf(this.text.charAt(i * RECORD + KEY));
  };
  /** Index of the record with this key, or -1 (binary search: the list is sorted). */
  Postings.prototype.find = function (key) {
    var low = 0;
    var high = this.count - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      var here = this.key(middle);
      if (here === key) {
        return middle;
      }
      if (here < key) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return -1;
  };

  /** Several values of one filter: the union of their lists, still sorted. */
  function union(lists) {
    if (lists.length === 1) {
      return lists[0];
    }
    var records = [];
    lists.forEach(function (list) {
      for (var i = 0; i < list.count; i++) {
        records.push(list.text.slice(i * RECORD, (i + 1) * RECORD));
      }
    });
    records.sort();
    var kept = records.filter(function (record, i) {
      return i === 0 || record.slice(0, KEY) !== records[i - 1].slice(0, KEY);
    });
    return new Postings(kept.join(""));
  }

  // File names Windows refuses (con.txt, aux.json, com1.txt…) get a trailing "_", so the
  // site can be built and served on any system; generator/search.py file_name() is the same.
  var RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

  function fileName(name) {
    return RESERVED.test(name) ? name + "_" : name;
  }

  function loadPostings(stemmed, year, df, threshold) {
    if (df >= threshold && OWN_FILE.test(stemmed)) {
      return load("kata/" + year + "/" + fileName(stemmed) + ".txt", false).then(function (text) {
        return new Postings(text);
      });
    }
    var name = fileName(bucket(stemmed, 3));
    return load("kata/" + year + "/" + name + ".json", true).then(function (group) {
      return new Postings(group && hasOwn(group, stemmed) ? group[stemmed] : "");
    });
  }

  function hasOwn(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /**
   * Plan one query (the spec's "A query", steps 2-3): the partitions that can hold a match, in
   * scan order (undated pages, then the newest year first). Resolves to null when some word
   * occurs nowhere, else to {perStem, years, listFilters, next: 0, exact}; `exact` is the
   * number of matches when the dictionary alone knows it (one word, no list filter).
   */
  function planQuery(meta, stems, filters) {
    return Promise.all(
      stems.map(function (stemmed) {
        var name = bucket(stemmed, 2);
        // meta.kamus lists the buckets that exist: no request (and no 404) for the others.
        if (Array.isArray(meta.kamus) && meta.kamus.indexOf(name) === -1) {
          return null;
        }
        return load("kamus/" + name + ".json", true);
      })
    ).then(function (dictionaries) {
      var perStem = [];
      for (var i = 0; i < stems.length; i++) {
        var dictionary = dictionaries[i];
        if (!dictionary || !hasOwn(dictionary, stems[i])) {
          return null; // every word must match, and this one occurs nowhere
        }
        var dfByYear = new Map(dictionary[stems[i]]);
        var total = 0;
        dfByYear.forEach(function (df) {
          total += df;
        });
        perStem.push({ stem: stems[i], dfByYear: dfByYear, idf: idf(meta.dokumen, total) });
      }
      var years = meta.tahun.filter(function (year) {
        return perStem.every(function (entry) {
          return entry.dfByYear.get(year) > 0;
        });
      });
      // A filter's values list the years that hold them; a year filter is just such a filter
      // (its values are the years themselves, so the undated partition drops out).
      filters.forEach(function (filter) {
        var allowed = new Set();
        filter.values.forEach(function (value) {
          value.tahun.forEach(function (year) {
            allowed.add(year);
          });
        });
        years = years.filter(function (year) {
          return allowed.has(year);
        });
      });
      var listFilters = filters.filter(function (filter) {
        return filter.name !== "tahun";
      });
      var exact = null;
      if (perStem.length === 1 && !listFilters.length) {
        exact = years.reduce(function (sum, year) {
          return sum + perStem[0].dfByYear.get(year);
        }, 0);
      }
      return { perStem: perStem, years: years, listFilters: listFilters, next: 0, exact: exact };
    });
  }

  /**
   * Scan the plan's next partitions, newest first, until they can hold `wanted` matches (by
   * the dictionary: at most the smallest document frequency of the words in each), all in
   * parallel. The lists of a common word grow with the archive, so a query reads the newest
   * years first and older ones only when asked ("Muat lebih banyak"). Resolves to the new
   * matches in newest-first order: [{id, order, score}].
   */
  function scanMore(meta, plan, wanted) {
    var batch = [];
    var possible = 0;
    while (plan.next < plan.years.length && (possible < wanted || !batch.length)) {
      var year = plan.years[plan.next++];
      batch.push(year);
      possible += Math.min.apply(
        null,
        plan.perStem.map(function (entry) {
          return entry.dfByYear.get(year);
        })
      );
    }
    return Promise.all(
      batch.map(function (year) {
        return scanYear(meta, year, plan.perStem, plan.listFilters);
      })
    ).then(function (perYear) {
      // Years in scan order, each year's records in list order: newest first overall.
      var matches = [].concat.apply([], perYear);
      var start = plan.found || 0;
      matches.forEach(function (match, order) {
        match.order = start + order;
      });
      plan.found = start + matches.length;
      return matches;
    });
  }

  function idf(documents, df) {
    return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
  }

  /** The documents of one partition that have every stem and pass every filter. */
  function scanYear(meta, year, perStem, listFilters) {
    var stemLists = Promise.all(
      perStem.map(function (entry) {
        return loadPostings(entry.stem, year, entry.dfByYear.get(year), meta.ambang);
      })
    );
    var filterLists = Promise.all(
      listFilters.map(function (filter) {
        var present = filter.values.filter(function (value) {
          return value.tahun.indexOf(year) !== -1; // no file for a value absent from a year
        });
        return Promise.all(
          present.map(function (value) {
            var path =
              "saring/" + year + "/" + filter.name + "/" + fileName(value.slug) + ".txt";
            return load(path, false).then(function (text) {
              return new Postings(text);
            });
          })
        ).then(function (lists) {
          return lists.length ? union(lists) : new Postings("");
        });
      })
    );
    return Promise.all([stemLists, filterLists]).then(function (loaded) {
      var lists = loaded[0];
      var all = lists.concat(loaded[1]);
      // Walk the shortest list (it is in newest-first order, so the result is too) and look
      // each of its documents up in the others.
      var shortest = all.reduce(function (best, list) {
        return list.count < best.count ? list : best;
      });
      var matches = [];
      for (var i = 0; i < shortest.count; i++) {
        var key = shortest.key(i);
        var score = 0;
        var found = true;
        for (var j = 0; j < all.length && found; j++) {
          var index = all[j] === shortest ? i : all[j].find(key);
          if (index === -1) {
            found = false;
          } else if (j < lists.length) {
            score += perStem[j].idf * all[j].weight(index);
          }
        }
        if (found) {
          matches.push({ id: key.slice(KEY - 10), score: score, order: 0 });
        }
      }
      return matches;
    });
  }

  function loadDocument(id) {
    return load("dok/" + id.slice(0, 2) + "/" + id + ".json", true);
  }

  // --- Excerpts -----------------------------------------------------------------------------

  /**
   * About EXCERPT_WORDS words of `text` around the densest match of `stems`, as a list of
   * pieces {text, mark}. Density counts distinct query words first, then matched words, so a
   * passage with both words of a two-word query beats one that repeats one word.
   */
  function excerptPieces(text, stems) {
    var wanted = new Set(stems);
    var words = text.split(/\s+/).filter(Boolean);
    var matched = words.map(function (word) {
      var hits = [];
      (word.match(WORD_PART) || []).forEach(function (part) {
        termsOf(part).forEach(function (term) {
          if (wanted.has(term)) {
            hits.push(term);
          }
        });
      });
      return hits;
    });
    var size = Math.min(EXCERPT_WORDS, words.length);
    var counts = new Map();
    var distinct = 0;
    var hitsInWindow = 0;
    var best = { start: 0, distinct: 0, hits: 0 };
    function add(index, step) {
      matched[index].forEach(function (term) {
        var count = (counts.get(term) || 0) + step;
        counts.set(term, count);
        if (step > 0 && count === 1) distinct++;
        if (step < 0 && count === 0) distinct--;
        hitsInWindow += step;
      });
    }
    for (var end = 0; end < words.length; end++) {
      add(end, 1);
      if (end >= size) {
        add(end - size, -1);
      }
      var start = end - size + 1;
      if (
        start >= 0 &&
        (distinct > best.distinct || (distinct === best.distinct && hitsInWindow > best.hits))
      ) {
        best = { start: start, distinct: distinct, hits: hitsInWindow };
      }
    }
    var from = best.start;
    if (best.hits) {
      // Centre the window on its matches (the first best window ends at its last match).
      var first = -1;
      var last = -1;
      for (var i = from; i < from + size; i++) {
        if (matched[i].length) {
          if (first === -1) first = i;
          last = i;
        }
      }
      from = Math.round((first + last) / 2 - size / 2);
      from = Math.max(0, Math.min(from, words.length - size));
    }
    var pieces = [];
    if (from > 0) pieces.push({ text: "… ", mark: false });
    for (var w = from; w < from + size; w++) {
      if (w > from) pieces.push({ text: " ", mark: false });
      pushWord(pieces, words[w], matched[w].length ? wanted : null);
    }
    if (from + size < words.length) pieces.push({ text: " …", mark: false });
    return mergePieces(pieces);
  }

  /** One word split into marked parts (the letters whose stem is wanted) and the rest. */
  function pushWord(pieces, word, wanted) {
    if (!wanted) {
      pieces.push({ text: word, mark: false });
      return;
    }
    var last = 0;
    word.replace(WORD_PART, function (part, offset) {
      var hit = termsOf(part).some(function (term) {
        return wanted.has(term);
      });
      if (hit) {
        pieces.push({ text: word.slice(last, offset), mark: false });
        pieces.push({ text: part, mark: true });
        last = offset + part.length;
      }
      return part;
    });
    pieces.push({ text: word.slice(last), mark: false });
  }

  function mergePieces(pieces) {
    var merged = [];
    pieces.forEach(function (piece) {
      var previous = merged[merged.length - 1];
      if (!piece.text) return;
      if (previous && previous.mark === piece.mark && !piece.mark) {
        previous.text += piece.text;
      } else {
        merged.push({ text: piece.text, mark: piece.mark });
      }
    });
    return merged;
  }

  // --- The page -----------------------------------------------------------------------------

  var page = document.querySelector(".portal-cari-page");
  var form = document.getElementById("cari-form");
  var input = document.getElementById("cari-q");
  var sortSelect = document.getElementById("cari-urut");
  var filterBox = document.getElementById("cari-saring");
  var status = document.getElementById("cari-status");
  var list = document.getElementById("cari-hasil");
  var moreButton = document.getElementById("cari-lagi");
  var headerInput = document.getElementById("portal-cari-q");
  if (!page || !form || !input || !status || !list || !moreButton) {
    return; // not the search page
  }

  var state = readAddress();
  var meta = null; // meta.json, once loaded
  var valuesByLabel = {}; // filter name -> Map(label -> {label, slug, tahun})
  // The shown search: {q, stems, plan (see planQuery), sorted: the matches read so far, in
  // the order they are shown; shown: how many are drawn}.
  var current = null;
  var generation = 0; // bumped by every search; a slower, older search must not draw
  var typingTimer = 0;

  function readAddress() {
    var params = new URLSearchParams(location.search);
    var filters = {};
    FILTERS.forEach(function (filter) {
      var labels = unique(params.getAll(filter.name).filter(Boolean));
      if (labels.length) {
        filters[filter.name] = labels;
      }
    });
    return {
      q: (params.get("q") || "").trim(),
      filters: filters,
      sort: params.get("urut") === "terbaru" ? "terbaru" : "",
    };
  }

  function writeAddress() {
    var params = new URLSearchParams();
    if (state.q) {
      params.set("q", state.q);
    }
    FILTERS.forEach(function (filter) {
      (state.filters[filter.name] || []).forEach(function (label) {
        params.append(filter.name, label);
      });
    });
    if (state.sort) {
      params.set("urut", state.sort);
    }
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : ""));
  }

  function setStatus(text, stateName) {
    // The live region is only written when the text changes, so that a screen reader
    // announces each outcome once.
    if (status.textContent !== text) {
      status.textContent = text;
    }
    page.setAttribute("data-state", stateName);
  }

  function quoted(q) {
    return "\u201c" + q + "\u201d";
  }

  // Filters -----------------------------------------------------------------------------------

  function renderFilters() {
    filterBox.textContent = "";
    FILTERS.forEach(function (filter) {
      var values = (meta.saringan && meta.saringan[filter.name]) || [];
      var byLabel = new Map();
      values.forEach(function (value) {
        byLabel.set(String(value.label), value);
      });
      valuesByLabel[filter.name] = byLabel;
      // A deep link may name a value that no longer exists: drop it rather than show
      // results filtered by something the reader cannot see or clear.
      if (state.filters[filter.name]) {
        state.filters[filter.name] = state.filters[filter.name].filter(function (label) {
          return byLabel.has(label);
        });
        if (!state.filters[filter.name].length) {
          delete state.filters[filter.name];
        }
      }
      if (!values.length) {
        return;
      }
      var chosen = state.filters[filter.name] || [];
      var details = element("details", "portal-cari-saring__grup");
      details.open = chosen.length > 0 && window.matchMedia("(min-width: 45em)").matches;
      var summary = element("summary", "portal-cari-saring__nama");
      summary.appendChild(document.createTextNode(filter.title));
      var count = element("span", "portal-cari-saring__jumlah");
      count.setAttribute("data-filter", filter.name);
      summary.appendChild(count);
      details.appendChild(summary);
      var fieldset = element("fieldset", "portal-cari-saring__pilihan");
      var legend = element("legend", "portal-cari__label");
      legend.textContent = filter.title;
      fieldset.appendChild(legend);
      var ul = element("ul", "portal-cari-saring__daftar");
      values.forEach(function (value, index) {
        var li = element("li", "");
        var box = element("input", "");
        box.type = "checkbox";
        box.name = filter.name;
        box.value = String(value.label);
        box.id = "cari-" + filter.name + "-" + index;
        box.checked = chosen.indexOf(box.value) !== -1;
        var label = element("label", "");
        label.htmlFor = box.id;
        label.textContent = String(value.label);
        li.appendChild(box);
        li.appendChild(label);
        ul.appendChild(li);
      });
      fieldset.appendChild(ul);
      details.appendChild(fieldset);
      filterBox.appendChild(details);
    });
    var clear = element("button", "portal-cari-saring__hapus");
    clear.type = "button";
    clear.id = "cari-saring-hapus";
    clear.textContent = "Hapus saringan";
    clear.addEventListener("click", function () {
      state.filters = {};
      filterBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = false;
      });
      filtersChanged();
      input.focus();
    });
    filterBox.appendChild(clear);
    filterBox.hidden = false;
    updateFilterCounts();
  }

  function updateFilterCounts() {
    var any = false;
    filterBox.querySelectorAll(".portal-cari-saring__jumlah").forEach(function (count) {
      var chosen = (state.filters[count.getAttribute("data-filter")] || []).length;
      count.textContent = chosen ? " (" + chosen + " dipilih)" : "";
      any = any || chosen > 0;
    });
    var clear = document.getElementById("cari-saring-hapus");
    if (clear) {
      clear.hidden = !any;
    }
  }

  function readCheckedFilters() {
    var filters = {};
    filterBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return filters;
  }

  function activeFilters() {
    var active = [];
    FILTERS.forEach(function (filter) {
      var labels = state.filters[filter.name] || [];
      var byLabel = valuesByLabel[filter.name];
      if (!labels.length || !byLabel) {
        return;
      }
      active.push({
        name: filter.name,
        values: labels.map(function (label) {
          var value = byLabel.get(label);
          return { label: label, slug: String(value.slug), tahun: value.tahun || [] };
        }),
      });
    });
    return active;
  }

  function filtersChanged() {
    updateFilterCounts();
    writeAddress();
    search();
  }

  // Searching and showing results ------------------------------------------------------------

  function search() {
    clearTimeout(typingTimer);
    var mine = ++generation;
    moreButton.disabled = true; // its results are about to be replaced
    var q = state.q;
    var stems = unique(termsOf(q));
    page.setAttribute("data-q", q);
    if (!q) {
      current = null;
      clearResults();
      setStatus("", "idle");
      return;
    }
    if (!stems.length) {
      current = null;
      clearResults();
      setStatus(
        "Kata " + quoted(q) + " terlalu umum atau terlalu pendek untuk dicari. " +
          "Tambahkan kata yang lebih khusus.",
        "selesai"
      );
      return;
    }
    page.setAttribute("data-state", "mencari");
    list.setAttribute("aria-busy", "true");
    loadMeta()
      .then(function () {
        if (mine !== generation) return null;
        return planQuery(meta, stems, activeFilters());
      })
      .then(function (plan) {
        if (mine !== generation) return null;
        var empty = { years: [], next: 0, exact: 0 };
        current = { q: q, stems: stems, plan: plan || empty, sorted: [], shown: 0 };
        return showMore(mine, true);
      })
      .catch(function (error) {
        failed(mine, error);
      });
  }

  /** meta.json, checked, with the filters drawn from it (once; a failed load is retried). */
  function loadMeta() {
    return load("meta.json", true).then(function (loaded) {
      if (!loaded || loaded.versi !== FORMAT_VERSION || !Array.isArray(loaded.tahun)) {
        throw new Error("meta.json: versi indeks tidak dikenal");
      }
      if (!meta) {
        meta = loaded;
        renderFilters();
        writeAddress(); // drops the filter values the index does not know
      }
      return meta;
    });
  }

  /** True while older partitions of the shown search have not been read yet. */
  function hasOlder(shownSearch) {
    return shownSearch.plan.next < shownSearch.plan.years.length;
  }

  /**
   * Enough matches to draw the next page: partitions are read until RANK_POOL more matches
   * are known (so relevance ranks among many), each new lot sorted and put after the last.
   */
  function ensureMatches(shownSearch, from) {
    if (shownSearch.sorted.length >= from + PAGE_SIZE || !hasOlder(shownSearch)) {
      return Promise.resolve();
    }
    var wanted = Math.max(RANK_POOL, from + PAGE_SIZE - shownSearch.sorted.length);
    return scanMore(meta, shownSearch.plan, wanted).then(function (matches) {
      shownSearch.sorted = shownSearch.sorted.concat(sortMatches(matches));
      return ensureMatches(shownSearch, from);
    });
  }

  function sortMatches(matches) {
    var sorted = matches.slice();
    if (state.sort === "terbaru") {
      return sorted; // already newest first
    }
    return sorted.sort(function (a, b) {
      return b.score - a.score || a.order - b.order;
    });
  }

  function clearResults() {
    list.textContent = "";
    list.hidden = true;
    list.removeAttribute("aria-busy");
    moreButton.hidden = true;
    page.removeAttribute("data-jumlah");
  }

  /** Fetch and draw the next PAGE_SIZE results (all of them replace the list if `fresh`). */
  function showMore(mine, fresh) {
    var shownSearch = current;
    var from = fresh ? 0 : shownSearch.shown;
    var next = [];
    moreButton.disabled = true;
    return ensureMatches(shownSearch, from)
      .then(function () {
        if (mine !== generation) return [];
        next = shownSearch.sorted.slice(from, from + PAGE_SIZE);
        return Promise.all(
          next.map(function (match) {
            return loadDocument(match.id);
          })
        );
      })
      .then(function (documents) {
        if (mine !== generation) return;
        if (fresh) {
          list.textContent = "";
          shownSearch.shown = 0;
        }
        var firstNew = null;
        documents.forEach(function (documentData) {
          if (!documentData) return; // stale cache after a rebuild: skip rather than break
          var item = renderResult(documentData, shownSearch.stems);
          firstNew = firstNew || item;
          list.appendChild(item);
        });
        shownSearch.shown += next.length;
        list.hidden = shownSearch.shown === 0;
        list.removeAttribute("aria-busy");
        moreButton.hidden =
          shownSearch.shown >= shownSearch.sorted.length && !hasOlder(shownSearch);
        moreButton.disabled = false;
        // The number is exact once every partition is read, or when the dictionary knows it
        // (one word, no list filter); otherwise it is "more than" what is known so far.
        var known = shownSearch.sorted.length;
        var exact = hasOlder(shownSearch) ? shownSearch.plan.exact : known;
        var message;
        if (exact === null) {
          message = "Ditemukan lebih dari " + known + " hasil untuk " + quoted(shownSearch.q);
        } else if (exact) {
          message = "Ditemukan " + exact + " hasil untuk " + quoted(shownSearch.q);
        } else {
          message = "Tidak ada hasil untuk " + quoted(shownSearch.q);
        }
        setStatus(message, "selesai");
        page.setAttribute("data-jumlah", String(exact === null ? known : exact));
        return firstNew;
      });
  }

  function failed(mine, error) {
    if (mine !== generation) return;
    clearResults();
    setStatus("Pencarian gagal dimuat. Periksa sambungan internet, lalu coba lagi.", "galat");
    // A warning, not an error: the reader already sees the message above.
    if (window.console && console.warn) console.warn("Pencarian:", error);
  }

  function element(name, className) {
    var node = document.createElement(name);
    if (className) node.className = className;
    return node;
  }

  /** A result's link, or null if the index names something outside this site. */
  function resultHref(url) {
    var target;
    try {
      target = new URL(String(url), siteRoot);
    } catch (error) {
      return null;
    }
    if (target.origin !== siteRoot.origin) return null; // also refuses javascript: and data:
    return target.pathname + target.search + target.hash;
  }

  // Built from DOM nodes and text only: index data never goes through innerHTML.
  function renderResult(doc, stems) {
    var item = element("li", "portal-cari-hasil__item");
    var heading = element("h2", "portal-cari-hasil__judul");
    var href = resultHref(doc.url);
    var title = String(doc.judul || doc.url || "");
    if (href !== null) {
      var link = element("a", "portal-cari-hasil__tautan");
      link.href = href;
      link.textContent = title;
      heading.appendChild(link);
    } else {
      heading.textContent = title;
    }
    item.appendChild(heading);

    var facts = [
      ["wilayah", doc.wilayah],
      ["tanggal", doc.tanggal],
      ["jenis", doc.jenis],
    ].filter(function (fact) {
      return fact[1];
    });
    if (facts.length) {
      var info = element("p", "portal-cari-hasil__info");
      facts.forEach(function (fact) {
        var span = element("span", "portal-cari-hasil__" + fact[0]);
        span.textContent = String(fact[1]);
        info.appendChild(span);
      });
      item.appendChild(info);
    }

    if (doc.isi) {
      var excerpt = element("p", "portal-cari-hasil__cuplikan");
      excerptPieces(String(doc.isi), stems).forEach(function (piece) {
        if (piece.mark) {
          var mark = element("mark", "");
          mark.textContent = piece.text;
          excerpt.appendChild(mark);
        } else {
          excerpt.appendChild(document.createTextNode(piece.text));
        }
      });
      item.appendChild(excerpt);
    }
    return item;
  }

  // Events -----------------------------------------------------------------------------------

  function setQuery(value) {
    state.q = value.trim();
    if (headerInput && headerInput.value !== value) {
      headerInput.value = value;
    }
    writeAddress();
  }

  input.addEventListener("input", function () {
    setQuery(input.value);
    // Wait for a pause in typing: a query per key would fetch lists for half-typed words.
    clearTimeout(typingTimer);
    page.setAttribute("data-state", state.q ? "mencari" : "idle");
    typingTimer = setTimeout(search, DEBOUNCE_MS);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    setQuery(input.value);
    search();
  });

  filterBox.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") {
      state.filters = readCheckedFilters();
      filtersChanged();
    }
  });

  if (sortSelect) {
    sortSelect.value = state.sort;
    sortSelect.addEventListener("change", function () {
      state.sort = sortSelect.value === "terbaru" ? "terbaru" : "";
      writeAddress();
      // The files are already fetched (and kept): running the query again only re-sorts, and
      // it also covers a sort chosen while another search was still under way.
      search();
    });
  }

  moreButton.addEventListener("click", function () {
    if (!current) return;
    var mine = generation;
    showMore(mine, false)
      .then(function (firstNew) {
        // Keyboard and screen reader users continue at the first new result.
        var link = firstNew && firstNew.querySelector("a");
        if (link) link.focus();
      })
      .catch(function (error) {
        failed(mine, error);
      });
  });

  // On this page the header box searches here, keeping the chosen filters and sort.
  var headerForm = headerInput && headerInput.form;
  if (headerForm) {
    headerForm.addEventListener("submit", function (event) {
      event.preventDefault();
      input.value = headerInput.value;
      setQuery(headerInput.value);
      search();
    });
  }

  // Start -----------------------------------------------------------------------------------

  if (!MARKS || !stemmer) {
    form.hidden = false;
    input.disabled = true;
    setStatus(
      "Peramban ini tidak dapat menjalankan pencarian. Gunakan peramban yang lebih baru.",
      "galat"
    );
    return;
  }

  input.value = state.q;
  if (headerInput) headerInput.value = state.q;
  form.hidden = false;
  search();
  // Draw the filters even before there is a query, so they can be chosen before typing.
  loadMeta().catch(function (error) {
    failed(generation, error);
  });
})();
