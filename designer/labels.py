"""The designer's words for the definition format's keys and field types (one place, no Flask)."""
import functools
from collections.abc import Mapping


class _TypeLabels(Mapping):
    """Field type → its Chinese label, read live from the field-type registry (plugins too)."""

    def _labels(self) -> dict:
        from plugins.fields import FIELD_TYPES
        return {name: t.label or name for name, t in FIELD_TYPES.items()}

    def __getitem__(self, name):
        return self._labels()[name]

    def __iter__(self):
        return iter(self._labels())

    def __len__(self):
        return len(self._labels())


TYPE_LABELS = _TypeLabels()

META_LABELS = {
    "format": "格式版本", "id": "服务标识", "number": "事项编号", "name": "事项名称", "category": "服务类别",
    "department": "主办部门", "co_departments": "协办部门", "audience": "服务对象", "fee": "收费标准",
    "time_limit": "预计时限", "hours": "办理时间", "place": "办理地点", "method": "办理方式",
    "phone": "咨询电话", "conditions": "办理条件", "recommended": "推荐服务", "keywords": "关键词",
    "title": "申请标题模板", "print": "打印设置", "retention": "保存期限", "form": "表单", "steps": "流程步骤",
}
_FIELD_WORDS = {
    "name": "字段名", "label": "标签", "type": "类型", "required": "必填", "readonly": "只读",
    "default": "默认值", "help": "帮助文字", "autofill": "自动填充", "visible_when": "显示条件",
    "required_when": "必填条件",
    "options": "选项", "max_length": "最大字数", "pattern": "格式（正则表达式）", "minimum": "最小值",
    "maximum": "最大值", "unit": "金额单位", "min_rows": "最少行数", "max_rows": "最多行数",
    "max_files": "最多文件数", "max_size": "单个文件上限", "accept": "允许的扩展名", "text": "说明文字",
    "columns": "列", "reuse": "再次申请时带入",
}
STEP_LABELS = {
    "id": "步骤标识", "name": "步骤名称", "by": "办理人", "mode": "会签/或签", "when": "执行条件",
    "opinion": "办理意见", "actions": "允许的操作", "return_to": "可退回到", "edit": "可修改的字段",
    "hidden": "本步不可见的字段", "cc": "抄送", "print": "打印", "escalate_to": "升级给",
    "self_approval": "本人审批时",
}


class _FieldLabels(Mapping):
    """Field keys → the words of the builder's property panel: each key's ``title`` (in
    ``plugins.fields.KEYS`` and every type's own keys, without its remark in （）), else ours."""

    def _labels(self) -> dict:
        from plugins.fields import FIELD_TYPES
        return _field_labels(FIELD_TYPES.version)

    def __getitem__(self, key):
        return self._labels()[key]

    def __iter__(self):
        return iter(self._labels())

    def __len__(self):
        return len(self._labels())


@functools.lru_cache(maxsize=4)
def _field_labels(_version) -> dict:
    from plugins.fields import FIELD_TYPES, KEYS
    out = dict(_FIELD_WORDS)
    keys = list(KEYS.items()) + [item for t in FIELD_TYPES.values() for item in t.own_keys().items()]
    for key, schema in keys:
        title = schema.get("title") if isinstance(schema, dict) else None
        if title:
            out[key] = title.split("（")[0]
    return out


FIELD_LABELS = _FieldLabels()
