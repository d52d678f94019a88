"""Open data (/data/): the human pages, streamed CSV/JSON downloads, the DCAT catalog and the audit head.

Downloads are streamed row by row (`StreamingHttpResponse` over the dataset's iterator), never built in
memory, so the public-cases file of a million cases keeps the server's memory flat.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from balai import csv_safe
from balai.audit.selectors import chain_head
from balai.opendata.datasets import DATASETS, LICENSE, LIVE_DATASET_KINDS, Dataset, csv_value, json_value
from balai.opendata.selectors import latest_audit_head, latest_audit_head_moment

FREQUENCIES = {"continuous": "http://purl.org/cld/freq/continuous", "daily": "http://purl.org/cld/freq/daily"}
XSD = {"integer": "xsd:integer", "decimal": "xsd:decimal", "string": "xsd:string", "boolean": "xsd:boolean",
       "date": "xsd:date", "month": "xsd:gYearMonth"}


def _dataset(slug: str) -> Dataset:
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404(_("No dataset with this name."))
    return dataset


def _last_modified(dataset: Dataset) -> str | None:
    if dataset.kind == "audit":
        moment = latest_audit_head_moment()
    elif dataset.kind in LIVE_DATASET_KINDS:
        moment = timezone.now()  # read live from the case table, the participation tables, the register
    else:
        from balai.transparency.selectors import last_updated

        moment = last_updated()
    return moment.isoformat() if moment else None


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(dataset: Dataset) -> Iterator[str]:
    writer = csv_safe.writer(_Echo(), lineterminator="\r\n")  # cells that look like formulas are defused
    names = dataset.field_names
    yield writer.writerow(names)
    for row in dataset.rows():
        yield writer.writerow([csv_value(row.get(n)) for n in names])


def _json_stream(dataset: Dataset, request: HttpRequest) -> Iterator[str]:
    head = {"dataset": dataset.slug, "title": str(dataset.title), "license": LICENSE,
            "catalog": request.build_absolute_uri(_catalog_path(request)), "fields": dataset.field_names}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    types = [(f.name, f.type) for f in dataset.fields]
    first = True
    for row in dataset.rows():
        item = {n: json_value(ft, row.get(n)) for n, ft in types}
        yield ("" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "]}\n"


def _catalog_path(request: HttpRequest) -> str:
    return ("/en" if request.LANGUAGE_CODE == "en" else "") + "/data/catalog.jsonld"


def download(request: HttpRequest, slug: str, fmt: str) -> StreamingHttpResponse:
    dataset = _dataset(slug)
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(dataset), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_stream(dataset, request), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.{fmt}"'
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def catalog_document(request: HttpRequest) -> dict[str, Any]:
    """The DCAT (with CSVW table schemas) description of every dataset, in the request's language."""
    prefix = "/en" if request.LANGUAGE_CODE == "en" else ""
    datasets = []
    for d in DATASETS.values():
        page = request.build_absolute_uri(f"{prefix}/data/{d.slug}/")
        datasets.append({
            "@id": page, "@type": "dcat:Dataset", "dct:identifier": d.slug, "dct:title": str(d.title),
            "dct:description": str(d.description), "dct:license": LICENSE,
            "dct:accrualPeriodicity": FREQUENCIES[d.frequency], "dct:modified": _last_modified(d),
            "dcat:landingPage": page,
            "dcat:distribution": [
                {"@type": "dcat:Distribution", "dct:format": fmt.upper(), "dcat:mediaType": media,
                 "dcat:downloadURL": request.build_absolute_uri(f"{prefix}/data/{d.slug}.{fmt}"),
                 "dct:license": LICENSE}
                for fmt, media in (("csv", "text/csv"), ("json", "application/json"))],
            "csvw:tableSchema": {"csvw:column": [
                {"csvw:name": f.name, "csvw:datatype": XSD[f.type], "dct:description": str(f.description)}
                for f in d.fields]},
        })
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "csvw": "http://www.w3.org/ns/csvw#", "xsd": "http://www.w3.org/2001/XMLSchema#",
                     "foaf": "http://xmlns.com/foaf/0.1/"},
        "@id": request.build_absolute_uri(f"{prefix}/data/catalog.jsonld"), "@type": "dcat:Catalog",
        "dct:title": _("Open data of the Provincial Government of East Kalimantan"),
        "dct:description": _("Performance of public services, the inclusion gap and cases without personal data."),
        "dct:license": LICENSE, "dct:language": request.LANGUAGE_CODE,
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": "Pemerintah Provinsi Kalimantan Timur"},
        "dcat:dataset": datasets,
    }


def catalog(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(catalog_document(request), content_type="application/ld+json",
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Cache-Control"] = "public, max-age=300"
    return response


def audit_head(request: HttpRequest) -> JsonResponse:
    """The live head of the audit chain and the latest published one."""
    count, last_hash = chain_head()
    published = latest_audit_head()
    return JsonResponse({
        "count": count, "hash": last_hash, "at": timezone.now().isoformat(),
        "published": {"day": published.recorded_on.isoformat(), "count": published.count,
                      "hash": published.last_hash} if published else None,
    })


def index(request: HttpRequest) -> HttpResponse:
    count, last_hash = chain_head()
    published = latest_audit_head()
    return render(request, "opendata/data_index.html", {
        "datasets": list(DATASETS.values()), "head_count": count, "head_hash": last_hash,
        "published": published, "license": LICENSE})


def dataset_page(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    return render(request, "opendata/dataset.html", {"dataset": dataset, "license": LICENSE,
                                                     "modified": _last_modified(dataset)})
