// Site search, the one feature that needs JavaScript. `cswork build` indexes the site
// with Pagefind into parts, pagefind/<part>/, listed in pagefind/shards.json; this loads
// the first part from the site itself, merges in the others, and lists the results.
// Without JavaScript the page says so and links to the lists instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box || !window.URL || !window.URLSearchParams || !window.DOMParser) return;
  var form = box.querySelector("[data-search-form]");
  var input = form.querySelector("input[name=q]");
  var status = box.querySelector("[data-search-status]");
  var list = box.querySelector("[data-search-results]");
  var note = document.querySelector("[data-search-nojs]");
  var MAX_SHOWN = Number(box.getAttribute("data-max-shown")) || 20;
  // The page's own words, in its language: the template writes them (see search.html).
  var words = JSON.parse(box.getAttribute("data-words") || "{}");

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  // A count in words: the template gives the exact sentence for 0 to 6, where a language's
  // plural forms differ (Welsh has six), and one with {count} for every other number.
  function counted(total) {
    return (words.results && words.results[String(total)]) || fill(words.results_other || "", { count: total });
  }
  var loading = null, latest = 0, timer = null;

  function load() {
    if (!loading) {
      var folder = new URL(box.getAttribute("data-pagefind"), document.baseURI);
      var base = new URL(box.getAttribute("data-base"), document.baseURI).pathname;
      loading = fetch(new URL("shards.json", folder).href)
        .then(function (response) {
          if (!response.ok) throw new Error("no search index");
          return response.json();
        })
        .then(function (listed) {
          var bundles = listed.bundles.map(function (b) { return new URL(b, folder).href; });
          if (!bundles.length) throw new Error("empty search index");
          return import(bundles[0] + "pagefind.js").then(function (pagefind) {
            return Promise.resolve(pagefind.options({ baseUrl: base }))
              .then(function () { return pagefind.init(); })
              .then(function () {
                return Promise.all(bundles.slice(1).map(function (b) {
                  return pagefind.mergeIndex(b, { baseUrl: base });
                }));
              })
              .then(function () { return pagefind; });
          });
        });
      loading.catch(failed);
    }
    return loading;
  }

  function failed() {
    status.textContent = words.failed;
    list.hidden = true;
  }

  // Pagefind marks the matching words with <mark>; everything else is kept as plain text.
  function excerpt(html) {
    var p = document.createElement("p");
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html");
    Array.prototype.forEach.call(parsed.body.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function item(page) {
    var url = new URL(page.url, location.href);
    if (url.origin !== location.origin) return null;
    var li = document.createElement("li");
    li.className = "search-results__item";
    var heading = document.createElement("h2");
    heading.className = "heading-s search-results__title";
    var link = document.createElement("a");
    link.href = url.pathname + url.hash;
    link.textContent = (page.meta && page.meta.title) || url.pathname;
    heading.appendChild(link);
    li.appendChild(heading);
    li.appendChild(excerpt(page.excerpt || ""));
    return li;
  }

  function show(query, pages, total) {
    list.textContent = "";
    pages.forEach(function (page) {
      var li = item(page);
      if (li) list.appendChild(li);
    });
    list.hidden = !list.children.length;
    var values = { query: "\u201c" + query + "\u201d" };
    if (!total) {
      status.textContent = fill(words.none, values);
    } else {
      status.textContent = fill(total > pages.length ? words.showing : words.all, { query: values.query, results: counted(total) });
    }
  }

  function run(raw) {
    var query = raw.trim();
    var ticket = ++latest;
    if (!query) {
      list.textContent = "";
      list.hidden = true;
      status.textContent = "";
      return;
    }
    load()
      .then(function (pagefind) { return pagefind.search(query); })
      .then(function (search) {
        if (ticket !== latest || !search) return;
        return Promise.all(search.results.slice(0, MAX_SHOWN).map(function (r) { return r.data(); }))
          .then(function (pages) { if (ticket === latest) show(query, pages, search.results.length); });
      })
      .catch(failed);
  }

  function remember(query) {
    var q = query.trim();
    history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
  }

  form.hidden = false;
  if (note) note.hidden = true;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    run(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value); run(input.value); }, 250);
  });
  input.addEventListener("focus", function () { load(); }, { once: true });
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    input.value = asked;
    run(asked);
  }
})();
