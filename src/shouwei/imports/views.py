from django.shortcuts import get_object_or_404, render

from .models import ImportBatch


def batch_list(request):
    batches = ImportBatch.objects.visible_to(request.user)[:50]
    return render(request, "imports/batch_list.html", {"batches": batches})


def start(request, importer):
    return render(request, "imports/start.html", {"importer": importer})


def batch_detail(request, pk):
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    return render(request, "imports/batch_detail.html", {"batch": batch})
