from django.db import connections


class QueryCountMiddleware:
    """Adds `X-Bench-Queries`: the SQL statements this request ran, on every database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = [0]

        def count(execute, sql, params, many, context):
            counter[0] += 1
            return execute(sql, params, many, context)

        with _wrapped(count):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(counter[0])
        return response


class _wrapped:
    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.stack = []

    def __enter__(self):
        for connection in connections.all():
            context = connection.execute_wrapper(self.wrapper)
            context.__enter__()
            self.stack.append(context)

    def __exit__(self, *exc):
        while self.stack:
            self.stack.pop().__exit__(*exc)
